/// The answer parsers for one model family, matching `ComposePrompts` step by step.
public struct ComposeParsers: Sendable {
    public let family: PromptFamily

    public init(family: PromptFamily) {
        self.family = family
    }

    /// Step 1: the article's sections.
    public func article(_ answer: String) -> ParsedAnswer<[String]> {
        family == .xcomposer ? ArticleTextParser.xcomposer(answer) : ArticleTextParser.instruct(answer)
    }

    /// Step 2: 0-based section indices (XComposer: the web demo's `<Seg N>` scan).
    public func spots(_ answer: String, sectionCount: Int, requested: Int?) -> ParsedAnswer<[Int]> {
        SpotParser.parse(answer, sectionCount: sectionCount, requested: requested,
                         scan: family == .xcomposer ? .segTags : .oneBased)
    }

    /// Step 3: the caption for the image after `section`.
    public func caption(_ answer: String, section: String) -> ParsedAnswer<String> {
        family == .xcomposer ? CaptionParser.xcomposer(answer, section: section)
            : CaptionParser.instruct(answer, section: section)
    }

    /// Step 5: the chosen candidate's index.
    public func selection(_ answer: String, candidateCount: Int = ComposePrompts.candidateCount) -> ParsedAnswer<Int> {
        family == .xcomposer ? SelectionParser.xcomposer(answer, candidateCount: candidateCount)
            : SelectionParser.instruct(answer, candidateCount: candidateCount)
    }
}
