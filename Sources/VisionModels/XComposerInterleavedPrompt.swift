import LanguageModels
import Tokenizers

/// A prompt whose text marks where images go with `<ImageHere>`, as the composition pipeline's
/// image selection builds it (spec §5 step 5, `interleav_wrap`): `<Img>`/`</Img>` removed, the
/// text split at each placeholder and every piece tokenised on its own without BOS, each
/// image's vectors between them, at most `maximumLength` positions, BOS in front.
public enum XComposerInterleavedPrompt {
    /// The placeholder the reference code splits on (plain text, not a token).
    public static let placeholder = "<ImageHere>"

    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// The text has a different number of placeholders than images were given.
        case imageCount(placeholders: Int, images: Int)

        public var description: String {
            switch self {
            case let .imageCount(placeholders, images):
                return "the prompt has \(placeholders) \(XComposerInterleavedPrompt.placeholder) placeholders but \(images) images were given"
            }
        }
    }

    /// - Parameters:
    ///   - maximumLength: positions kept before BOS is prepended (the reference's
    ///     `max_txt_len = 1680`); the rest is cut off, even inside an image.
    public static func parts(text: String, images: [ImageEmbedding], tokenizer: any TextTokenizer,
                             maximumLength: Int = 1680) throws(Failure) -> [PromptPart] {
        let cleaned = text.replacing("<Img>", with: "").replacing("</Img>", with: "")
        let pieces = cleaned.split(separator: placeholder, omittingEmptySubsequences: false).map(String.init)
        guard pieces.count - 1 == images.count else {
            throw .imageCount(placeholders: pieces.count - 1, images: images.count)
        }
        var parts: [PromptPart] = []
        var length = 0
        func append(_ part: PromptPart) {
            guard length < maximumLength, part.count > 0 else { return }
            let room = maximumLength - length
            switch part {
            case let .tokens(ids) where ids.count > room:
                parts.append(.tokens(Array(ids[..<room])))
            case let .embeddings(values, count) where count > room:
                parts.append(.embeddings(values: Array(values[..<(room * (values.count / count))]), count: room))
            default:
                parts.append(part)
            }
            length += min(part.count, room)
        }
        for (index, piece) in pieces.enumerated() {
            append(.tokens(tokenizer.encode(piece, addSpecial: false, parseSpecial: true)))
            if index < images.count {
                append(.embeddings(values: images[index].values, count: images[index].count))
            }
        }
        if let bos = tokenizer.bosToken { parts.insert(.tokens([bos]), at: 0) }
        return parts
    }
}
