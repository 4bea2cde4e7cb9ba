/// A SentencePiece model file (`tokenizer.model`, a protobuf `ModelProto`) as data: its pieces
/// and the training and normalisation settings that decide how text is tokenized.
///
/// `parse(_:name:)` reads the bytes, `makeVocabulary()` and `makeTokenizer()` turn a BPE model
/// into the same vocabulary a GGUF file of that model would carry. Only the fields that matter
/// for tokenizing are kept; the rest of the file (training input paths, self-test samples, …)
/// is skipped.
public struct SentencePieceModelFile: Sendable, Equatable {
    /// What a piece is (`ModelProto.SentencePiece.Type`; the same numbers as GGUF's token types).
    public enum PieceType: Int32, Sendable, Equatable {
        case normal = 1
        /// The unknown piece (`<unk>`).
        case unknown = 2
        /// A control symbol (`<s>`, `</s>`): never produced from text by SentencePiece.
        case control = 3
        /// A user-defined symbol, matched whole wherever its text appears.
        case userDefined = 4
        case unused = 5
        /// A byte-fallback piece (`<0x0A>`).
        case byte = 6
    }

    /// The training algorithm (`TrainerSpec.ModelType`).
    public enum ModelType: Int32, Sendable, Equatable, CustomStringConvertible {
        case unigram = 1
        case bpe = 2
        case word = 3
        case character = 4

        public var description: String {
            switch self {
            case .unigram: return "unigram"
            case .bpe: return "BPE"
            case .word: return "word"
            case .character: return "char"
            }
        }
    }

    /// One vocabulary entry.
    public struct Piece: Sendable, Equatable {
        /// The text, with `▁` for a space.
        public var text: String
        /// The score; BPE merges the pair whose merged piece scores highest.
        public var score: Float
        public var type: PieceType

        public init(text: String, score: Float, type: PieceType) {
            self.text = text
            self.score = score
            self.type = type
        }
    }

    /// The `TrainerSpec` fields that affect tokenizing, with protobuf's defaults when absent.
    public struct TrainerSpec: Sendable, Equatable {
        /// `model_type` as stored (see `modelType`); 1 (unigram) when absent.
        public var modelTypeValue: Int32 = ModelType.unigram.rawValue
        public var vocabSize: Int32 = 8000
        /// Characters outside the vocabulary become `<0xXX>` pieces instead of `<unk>`.
        public var byteFallback = false
        /// Digits were kept apart in training, so no piece joins a digit to anything.
        public var splitDigits = false
        public var treatWhitespaceAsSuffix = false
        public var maxSentencePieceLength: Int32 = 16
        /// Special ids; -1 means none.
        public var unknownID: Int32 = 0
        public var bosID: Int32 = 1
        public var eosID: Int32 = 2
        public var padID: Int32 = -1

        public init() {}

        /// The algorithm, or nil for a value this reader does not know.
        public var modelType: ModelType? { ModelType(rawValue: modelTypeValue) }
    }

    /// The `NormalizerSpec` fields that affect tokenizing, with protobuf's defaults when absent.
    public struct NormalizerSpec: Sendable, Equatable {
        /// The normalisation rule's name (`identity`, `nmt_nfkc`, …), if stored.
        public var name: String?
        /// Size of the compiled normalisation rules; 0 means text is not rewritten.
        public var precompiledCharsMapSize = 0
        /// A `▁` is put before the text (Llama); InternLM-XComposer has none.
        public var addDummyPrefix = true
        /// Leading, trailing and repeated spaces are removed before tokenizing.
        public var removeExtraWhitespaces = true
        /// Spaces become `▁`.
        public var escapeWhitespaces = true

        public init() {}
    }

    /// The file's name as given to `parse` (used in error messages).
    public var name: String
    /// All pieces; a piece's index is its token id.
    public var pieces: [Piece]
    public var trainerSpec: TrainerSpec
    public var normalizerSpec: NormalizerSpec

    public init(name: String, pieces: [Piece], trainerSpec: TrainerSpec = TrainerSpec(),
                normalizerSpec: NormalizerSpec = NormalizerSpec()) {
        self.name = name
        self.pieces = pieces
        self.trainerSpec = trainerSpec
        self.normalizerSpec = normalizerSpec
    }
}
