/// What the composition pipeline reports, in order; a TUI and a headless command feed the same
/// events to `Article.apply(_:)`. Ids are chosen by the emitter (origin `.pipeline`).
public enum ArticleEvent: Sendable, Equatable {
    case titleSet(String)
    /// A finished line of the article.
    case paragraphAppended(ParagraphID, String)
    /// More text for a paragraph still being streamed (coalesced into one undo step).
    case paragraphExtended(ParagraphID, String)
    case slotSpotted(SlotID, after: ParagraphID)
    case captionSet(SlotID, String)
    case retrievalStarted(SlotID)
    /// Candidates found; the first is chosen (the original's choice when selection is off).
    case candidatesFound(SlotID, [Candidate])
    case imageChosen(SlotID, index: Int)
    case slotFailed(SlotID, message: String)
}
