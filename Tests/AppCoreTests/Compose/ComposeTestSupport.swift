import AppCore
import Composer

extension ComposeState {
    /// A compose screen with a model loaded, on a 100x30 terminal.
    static func ready(_ world: FakeWorld) -> ComposeState {
        var state = ComposeState(environment: world.environment)
        _ = state.apply(.resized(columns: 100, rows: 30))
        _ = state.apply(.modelReady("Tiny"))
        return state
    }

    mutating func type(_ text: String) -> [ComposeEffect] { apply(.key(.text(text))) }

    /// Types each character as its own key press, as a person does.
    mutating func keys(_ text: String) -> [ComposeEffect] {
        text.flatMap { apply(.key(.text(String($0)))) }
    }

    mutating func press(_ key: KeyChord.Key, ctrl: Bool = false, alt: Bool = false) -> [ComposeEffect] {
        apply(.key(.chord(KeyChord(key, ctrl: ctrl, alt: alt))))
    }

    /// Feeds what the pipeline would report for a short article with one slot and candidates.
    mutating func receiveArticle(paragraphs: [String], slotAfter: Int, candidates: [String]) -> [ComposeEffect] {
        var effects: [ComposeEffect] = []
        effects += apply(.article(.titleSet("Bread")))
        for (index, text) in paragraphs.enumerated() {
            effects += apply(.article(.paragraphAppended(ParagraphID(index), text)))
        }
        effects += apply(.article(.slotSpotted(SlotID(0), after: ParagraphID(slotAfter))))
        effects += apply(.article(.captionSet(SlotID(0), "a loaf of bread")))
        effects += apply(.article(.candidatesFound(SlotID(0), candidates.enumerated().map {
            Candidate(path: $0.element, score: Float(4 - $0.offset))
        })))
        effects += apply(.article(.imageChosen(SlotID(0), index: 0)))
        return effects
    }
}

func drafts(_ effects: [ComposeEffect]) -> [DraftSnapshot] {
    effects.compactMap { if case let .saveDraft(snapshot) = $0 { return snapshot } else { return nil } }
}
