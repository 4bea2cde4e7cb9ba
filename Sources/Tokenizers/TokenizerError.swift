/// Everything that can go wrong building a tokenizer from a model file's vocabulary.
///
/// Each `description` is one line that names the input (the metadata key, or the file path when
/// the vocabulary was read from a file) and the problem, so it can be shown to a person as is.
public enum TokenizerError: Error, CustomStringConvertible, Equatable {
    /// A required metadata key is absent or holds a value of another type.
    case missingKey(String, expected: String)
    /// `tokenizer.ggml.model` names an algorithm this module does not implement.
    case unsupportedModel(String)
    /// The vocabulary has no tokens at all.
    case emptyVocabulary
    /// A per-token array (scores, token types) is shorter than the token list.
    case arrayTooShort(key: String, count: Int, tokens: Int)
    /// The settings ask to add a special token (BOS, EOS) whose id is not set.
    case missingSpecialToken(setting: String, idKey: String)
    /// A special token id (`name` says which) outside the vocabulary.
    case specialTokenOutOfRange(name: String, id: Int32, vocabularySize: Int)
    /// Reading the model file failed before its vocabulary could be looked at.
    case unreadableModelFile(path: String, reason: String)
    /// The model file was read but its vocabulary is unusable; `reason` is another case's text.
    case badVocabulary(path: String, reason: String)

    /// One line naming the input and the problem.
    public var description: String {
        switch self {
        case .missingKey(let key, let expected):
            return "\(key): missing or not \(expected)"
        case .unsupportedModel(let model):
            return "tokenizer.ggml.model: '\(model)' is not supported (only 'gpt2' and 'llama')"
        case .emptyVocabulary:
            return "tokenizer.ggml.tokens: the vocabulary is empty"
        case .arrayTooShort(let key, let count, let tokens):
            return "\(key): \(count) entries for \(tokens) tokens"
        case .missingSpecialToken(let setting, let idKey):
            return "\(setting) is true but \(idKey) is not set"
        case .specialTokenOutOfRange(let name, let id, let size):
            return "\(name): id \(id) is outside the vocabulary of \(size) tokens"
        case .unreadableModelFile(let path, let reason):
            return "\(path): \(reason)"
        case .badVocabulary(let path, let reason):
            return "\(path): \(reason)"
        }
    }
}
