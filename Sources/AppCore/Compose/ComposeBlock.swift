import Composer

/// One thing the cursor can rest on in the article: the title, a paragraph or an image slot.
public enum ComposeBlock: Sendable, Hashable {
    case title
    case paragraph(ParagraphID)
    case slot(SlotID)
}

extension ArticleContent {
    /// The blocks in reading order: the title, then each paragraph followed by its slots.
    public var blocks: [ComposeBlock] {
        var blocks: [ComposeBlock] = [.title]
        for paragraph in paragraphs {
            blocks.append(.paragraph(paragraph.id))
            blocks += slots(after: paragraph.id).map { .slot($0.id) }
        }
        return blocks
    }

    /// The section index (0-based) of a paragraph.
    public func sectionIndex(of id: ParagraphID) -> Int? {
        paragraphs.firstIndex { $0.id == id }
    }
}
