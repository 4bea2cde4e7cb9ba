import Composer
import ImageLibrary

/// Where a slot sits in its article, for the selection step: XComposer is shown the text up to
/// the slot with the pictures already chosen above it in place (spec §5 step 5).
struct SelectionContext: Sendable {
    /// A picture already chosen for the image after section `spot`.
    struct Pick: Sendable, Equatable {
        var spot: Int
        var path: String
    }

    var sections: [String]
    /// The section the slot follows.
    var spot: Int
    /// Pictures chosen for earlier spots, in any order (only those above `spot` are shown).
    var earlier: [Pick] = []

    /// The earlier picks above the slot, in line order.
    var above: [Pick] { earlier.filter { $0.spot < spot }.sorted { $0.spot < $1.spot } }
}

extension ComposePipeline {
    /// Steps 4 and 5: retrieves candidates for a caption (the paragraph itself when the caption
    /// matches nothing) and chooses one; returns the chosen image's path.
    func search(_ slot: SlotID, caption: String, context: SelectionContext, label: String,
                excluding used: Set<String>, emit: (ArticleEvent) throws -> Void) async throws -> String? {
        guard let candidates = try retrieve(slot, caption: caption, paragraph: context.sections[context.spot],
                                            label: label, excluding: used, emit: emit) else { return nil }
        let index = try await choose(among: candidates, context: context, label: label)
        try emit(.imageChosen(slot, index: index))
        return candidates[index].path
    }

    /// Step 4: up to `candidateCount` unused pictures for the caption, best first; nil (and
    /// the slot marked failed) when the library has none.
    func retrieve(_ slot: SlotID, caption: String, paragraph: String, label: String, excluding used: Set<String>,
                  emit: (ArticleEvent) throws -> Void) throws -> [Candidate]? {
        report(.step("searching the library for image \(label)"))
        try emit(.retrievalStarted(slot))
        let vectors = embedder?.vectors(for: library)
        var found = LibrarySearch.rank(caption: caption, in: library, excluding: used, limit: ComposePrompts.candidateCount,
                                       embeddings: vectors, queryEmbedding: vectors == nil ? nil : embedder?.embed(caption))
        if found.isEmpty {
            found = LibrarySearch.rank(caption: paragraph, in: library, excluding: used, limit: ComposePrompts.candidateCount)
            if !found.isEmpty {
                report(.fallback(step: "retrieval \(label)", why: "no library caption shares a word with “\(caption)”; searched with the paragraph instead"))
            }
        }
        guard !found.isEmpty else {
            try emit(.slotFailed(slot, message: "no image in the library matches “\(caption)”"))
            return nil
        }
        var candidates = found.map {
            Candidate(path: $0.image.path, score: Float($0.score), captionText: $0.image.caption ?? "")
        }
        // Fewer matches than the strip holds: the paragraph's own matches, then other unused
        // pictures (score 0), so there is always a choice to look at.
        if candidates.count < ComposePrompts.candidateCount {
            let more = LibrarySearch.rank(caption: paragraph, in: library, excluding: used, limit: library.count)
                .map { Candidate(path: $0.image.path, score: 0, captionText: $0.image.caption ?? "") }
                + library.filter { !used.contains($0.path) }.map { Candidate(path: $0.path, score: 0, captionText: $0.caption ?? "") }
            for extra in more where candidates.count < ComposePrompts.candidateCount
                && !candidates.contains(where: { $0.path == extra.path }) {
                candidates.append(extra)
            }
        }
        try emit(.candidatesFound(slot, candidates))
        return candidates
    }

    /// Step 5: the index of the chosen candidate. A model that sees images is shown the four
    /// candidates (and the pictures chosen above) and names one; anything it cannot answer
    /// properly falls back, said out loud, to the retrieval order. A text model takes the best
    /// retrieval score.
    func choose(among candidates: [Candidate], context: SelectionContext, label: String) async throws -> Int {
        guard runner.seesImages else { return 0 }
        let step = "selection \(label)"
        guard candidates.count == ComposePrompts.candidateCount else {
            report(.fallback(step: step, why: "only \(candidates.count) unused pictures, and the selection prompt shows "
                             + "\(ComposePrompts.candidateCount): took the best retrieval score"))
            return 0
        }
        report(.step("choosing image \(label) among the candidates"))
        let above = context.above
        let prompt = prompts.selection(sections: context.sections, spots: above.map(\.spot), target: context.spot,
                                       candidateCaptions: candidates.map(\.captionText))
        let answer: String
        do {
            answer = try await runner.answer(prompt, images: above.map(\.path) + candidates.map(\.path)) { _ in }
        } catch {
            if Task.isCancelled || "\(error)" == "stopped" { throw error }
            report(.fallback(step: step, why: "the model could not look at the candidates (\(error)): took the best retrieval score"))
            return 0
        }
        report(.rawOutput(step: step, text: answer))
        let parsed = parsers.selection(answer, candidateCount: candidates.count)
        if let why = parsed.fallback {
            report(.fallback(step: step, why: "\(why), the best retrieval score"))
        }
        return parsed.value
    }
}
