/// Everything that can go wrong reading a SentencePiece `tokenizer.model` or turning it into
/// a tokenizer.
///
/// Each `description` is one line that starts with the file's name (the path, or the name the
/// caller gave the bytes) and says what is wrong, with the byte offset for damage in the
/// protobuf encoding, so it can be shown to a person as is.
public enum SentencePieceModelError: Error, CustomStringConvertible, Equatable {
    /// The file could not be read at all.
    case unreadable(name: String, reason: String)
    /// The bytes are not a well-formed `ModelProto`: `offset` is where the reader stopped.
    case malformed(name: String, offset: Int, problem: String)
    /// The model is well formed but uses an algorithm other than BPE (`model_type`).
    case unsupportedModelType(name: String, modelType: Int32)
    /// A piece cannot be part of a vocabulary (empty, or repeating an earlier piece).
    case badPiece(name: String, index: Int, problem: String)
    /// A special id of `trainer_spec` (`unk_id`, …) is outside the pieces.
    case specialIDOutOfRange(name: String, field: String, id: Int32, pieceCount: Int)
    /// The vocabulary built from the pieces was refused; `problem` is that error's text.
    case badVocabulary(name: String, problem: String)

    /// One line naming the file and the problem.
    public var description: String {
        switch self {
        case .unreadable(let name, let reason):
            return "\(name): \(reason)"
        case .malformed(let name, let offset, let problem):
            return "\(name): not a SentencePiece model: byte \(offset): \(problem)"
        case .unsupportedModelType(let name, let modelType):
            let kind = SentencePieceModelFile.ModelType(rawValue: modelType).map { "\($0)" }
                ?? "unknown type \(modelType)"
            return "\(name): only BPE SentencePiece models are supported (this one is \(kind))"
        case .badPiece(let name, let index, let problem):
            return "\(name): piece \(index): \(problem)"
        case .specialIDOutOfRange(let name, let field, let id, let count):
            return "\(name): trainer_spec.\(field) \(id) is outside the \(count) pieces"
        case .badVocabulary(let name, let problem):
            return "\(name): \(problem)"
        }
    }
}
