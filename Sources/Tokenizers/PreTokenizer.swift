/// How byte-level BPE cuts text into words before merging, chosen by `tokenizer.ggml.pre`.
///
/// Merges never cross a word boundary, so the split decides the tokens as much as the merges
/// do. The regexes behind each splitting are llama.cpp's (`llm_tokenizer_bpe`), implemented by
/// hand over Unicode scalars in `WordSplitter`.
public struct PreTokenizer: Sendable, Equatable {
    /// The regex sequence.
    public enum Splitting: Sendable, Equatable {
        /// GPT-2: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
        case gpt2
        /// Llama 3: case-insensitive contractions, letters with one leading non-letter, numbers
        /// in groups of up to three, punctuation runs with trailing newlines, newline runs.
        case llama3
        /// SmolLM and StarCoder: every digit alone, then the GPT-2 regex.
        case smollm
        /// llama.cpp's fallback when a file names none: punctuation runs, GPT-2, number runs,
        /// then ASCII digits in threes.
        case `default`
    }

    /// The regex sequence.
    public var splitting: Splitting
    /// Whether a word that is already a whole token skips merging (Llama 3's
    /// `ignore_merges`): it can give a different answer from merging when merges would not
    /// rebuild that token.
    public var ignoresMerges: Bool
    /// Whether this family adds BOS when the file does not say (llama.cpp's default).
    public var addsBOSByDefault: Bool

    /// A pre-tokenizer given in full.
    public init(splitting: Splitting, ignoresMerges: Bool = false, addsBOSByDefault: Bool = false) {
        self.splitting = splitting
        self.ignoresMerges = ignoresMerges
        self.addsBOSByDefault = addsBOSByDefault
    }

    /// The pre-tokenizer llama.cpp uses for a `tokenizer.ggml.pre` name; nil for a name this
    /// module does not know. A missing name (nil) means llama.cpp's `default`.
    public static func named(_ name: String?) -> PreTokenizer? {
        guard let name else { return PreTokenizer(splitting: .default) }
        switch name {
        case "default":
            return PreTokenizer(splitting: .default)
        case "llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0",
             "lfm2":
            return PreTokenizer(splitting: .llama3, ignoresMerges: true, addsBOSByDefault: true)
        case "dbrx", "smaug-bpe":
            return PreTokenizer(splitting: .llama3)
        case "smollm", "starcoder", "refact", "command-r", "codeshell", "exaone", "minerva-7b":
            return PreTokenizer(splitting: .smollm)
        case "gpt-2", "gpt2", "phi-2", "mpt", "olmo", "jais", "jina-es", "jina-de", "gigachat",
             "jina-v2-es", "jina-v2-de", "jina-v1-en", "jina-v2-code", "roberta-bpe", "exaone4":
            return PreTokenizer(splitting: .gpt2)
        default:
            return nil
        }
    }
}
