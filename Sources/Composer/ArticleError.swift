/// Why an edit or event could not be applied; `description` is one line for the user.
public enum ArticleError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownParagraph(ParagraphID)
    case unknownSlot(SlotID)
    case duplicateParagraph(ParagraphID)
    case duplicateSlot(SlotID)
    case positionOutOfRange(position: Int, count: Int)
    case candidateOutOfRange(slot: SlotID, index: Int, count: Int)
    case noNextParagraph(ParagraphID)

    public var description: String {
        switch self {
        case .unknownParagraph(let id): "article: there is no \(id)"
        case .unknownSlot(let id): "article: there is no \(id)"
        case .duplicateParagraph(let id): "article: \(id) already exists"
        case .duplicateSlot(let id): "article: \(id) already exists"
        case .positionOutOfRange(let position, let count): "article: position \(position) is outside 0…\(count)"
        case .candidateOutOfRange(let slot, let index, let count):
            "article: \(slot) has \(count) candidate\(count == 1 ? "" : "s"), so there is no number \(index + 1)"
        case .noNextParagraph(let id): "article: \(id) is the last paragraph, there is nothing to merge it with"
        }
    }
}
