import Composer
import Engine
import ImageLibrary

/// The article pipeline of InternLM-XComposer, run step by step with a text model: write the
/// article, spot where images belong, caption each spot, retrieve candidates from the library
/// and choose one. Every step reports an `ArticleEvent` (what a live view and an autosave
/// consume) and its raw model output, so nothing the model said is hidden. The editor's single
/// steps (rewrite a paragraph, write the next one, caption a slot again, search again) are here
/// too, with the same prompts and parsers.
struct ComposePipeline: Sendable {
    /// Runs one prompt through the model, passing each piece of text as it comes, and returns
    /// the whole answer.
    typealias Generate = @Sendable (_ messages: ChatMessages, _ parameters: GenerationParameters,
                                    _ onText: @escaping @Sendable (String) -> Void) async throws -> String

    struct Options {
        var title: String
        var paragraphs: Int
        /// A fixed number of images, or nil to let the model decide.
        var images: Int?
        var seed: UInt64?
        /// The pipeline numbers its paragraphs and slots from these (an editor passes numbers
        /// its document does not use yet).
        var firstParagraph = 0
        var firstSlot = 0
    }

    /// What happened at one step, for `--verbose`, progress lines and the live view.
    enum Report: Sendable {
        case step(String)
        /// The line being written now, before it ends.
        case live(String)
        case rawOutput(step: String, text: String)
        case fallback(step: String, why: String)
        case event(ArticleEvent)
    }

    let prompts = ComposePrompts(family: .instruct)
    let parsers = ComposeParsers(family: .instruct)
    let library: [LibraryImage]
    /// Embeds captions with the model for the cosine half of the ranking; nil ranks by BM25 alone.
    var embedder: CaptionEmbedder? = nil
    let generate: Generate
    let report: @Sendable (Report) -> Void

    func run(_ options: Options) async throws -> Article {
        var article = Article(title: options.title)
        func emit(_ event: ArticleEvent) throws {
            try article.apply(event)
            report(.event(event))
        }
        try emit(.titleSet(options.title))

        // 1. The article, one paragraph per line, each shown as soon as its line ends.
        report(.step("writing the article"))
        let articlePrompt = try instruct(prompts.article(title: options.title, paragraphCount: options.paragraphs))
        let stream = SectionStream(parsers: parsers, firstID: options.firstParagraph, report: report)
        let articleText = try await generate(articlePrompt.messages, seeded(articlePrompt.parameters, options.seed)) {
            stream.feed($0)
        }
        stream.finish()
        report(.rawOutput(step: "article", text: articleText))
        let written = stream.sections
        for (offset, text) in written.enumerated() {
            try article.apply(.paragraphAppended(ParagraphID(options.firstParagraph + offset), text))
        }
        let parsed = parsers.article(articleText)
        if let why = parsed.fallback { report(.fallback(step: "article", why: why)) }
        guard !written.isEmpty else {
            throw PipelineFailure("the model wrote no paragraphs for “\(options.title)” (raw answer: \(articleText.prefix(80)))")
        }

        // 2. Where images go.
        report(.step("choosing where images go"))
        let spotPrompt = try instruct(prompts.spotting(sections: written, imageCount: options.images))
        let spotText = try await generate(spotPrompt.messages, spotPrompt.parameters) { _ in }
        report(.rawOutput(step: "spotting", text: spotText))
        var spots = parsers.spots(spotText, sectionCount: written.count, requested: options.images)
        if spots.value.isEmpty {
            // The model chose nowhere: one image in the middle, said out loud.
            spots = ParsedAnswer(value: SpotParser.evenlySpaced(count: 1, in: written.count),
                                 fallback: "no usable paragraph numbers in the answer; one image after the middle paragraph")
        }
        if let why = spots.fallback { report(.fallback(step: "spotting", why: why)) }

        // 3–5. Caption, retrieve, choose, one spot at a time so no image is used twice.
        var used = Set<String>()
        for (number, spot) in spots.value.enumerated() {
            let slot = SlotID(options.firstSlot + number)
            guard let paragraph = article.content.paragraphID(atSection: spot) else { continue }
            try emit(.slotSpotted(slot, after: paragraph))
            if let chosen = try await illustrate(slot, sections: written, spot: spot, label: "\(number + 1)",
                                                 excluding: used, emit: emit) {
                used.insert(chosen)
            }
        }
        return article
    }

    /// Captions the slot after section `spot`, retrieves candidates and chooses the best; returns
    /// the chosen image's path.
    func illustrate(_ slot: SlotID, sections: [String], spot: Int, label: String, excluding used: Set<String>,
                    emit: (ArticleEvent) throws -> Void) async throws -> String? {
        report(.step("captioning the image after paragraph \(spot + 1)"))
        let captionPrompt = try instruct(prompts.caption(sections: sections, spot: spot, previous: []))
        let captionText = try await generate(captionPrompt.messages, captionPrompt.parameters) { _ in }
        report(.rawOutput(step: "caption \(label)", text: captionText))
        let caption = parsers.caption(captionText, section: sections[spot])
        if let why = caption.fallback { report(.fallback(step: "caption \(label)", why: why)) }
        try emit(.captionSet(slot, caption.value))
        return try search(slot, caption: caption.value, paragraph: sections[spot], label: label, excluding: used, emit: emit)
    }

    /// Retrieves candidates for a caption (the paragraph itself when the caption matches
    /// nothing) and chooses the best by retrieval score; returns the chosen image's path.
    func search(_ slot: SlotID, caption: String, paragraph: String, label: String, excluding used: Set<String>,
                emit: (ArticleEvent) throws -> Void) throws -> String? {
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
        // Text-only model: the best retrieval score wins (a vision model would look at them).
        try emit(.candidatesFound(slot, candidates))
        try emit(.imageChosen(slot, index: 0))
        return candidates[0].path
    }

    /// A new version of paragraph `index`, streamed live.
    func rewrite(title: String, sections: [String], index: Int) async throws -> String {
        report(.step("rewriting paragraph \(index + 1)"))
        return try await oneParagraph(InstructPrompts.rewrite(title: title, sections: sections, index: index),
                                      step: "rewrite \(index + 1)")
    }

    /// The paragraph after the last one, streamed live.
    func nextParagraph(title: String, sections: [String]) async throws -> String {
        report(.step("writing paragraph \(sections.count + 1)"))
        return try await oneParagraph(InstructPrompts.continuation(title: title, sections: sections),
                                      step: "paragraph \(sections.count + 1)")
    }

    private func oneParagraph(_ prompt: InstructPrompt, step: String) async throws -> String {
        let stream = SectionStream(parsers: parsers, firstID: 0, report: report, emitsParagraphs: false)
        let text = try await generate(prompt.messages, prompt.parameters) { stream.feed($0) }
        stream.finish()
        report(.rawOutput(step: step, text: text))
        guard let first = stream.sections.first else {
            throw PipelineFailure("the model wrote no paragraph (raw answer: \(text.prefix(80)))")
        }
        return first
    }

    private func instruct(_ prompt: StepPrompt) throws -> InstructPrompt {
        guard case let .instruct(instruct) = prompt else {
            throw PipelineFailure("internal: expected an instruct prompt")
        }
        return instruct
    }

    private func seeded(_ parameters: GenerationParameters, _ seed: UInt64?) -> GenerationParameters {
        var parameters = parameters
        if let seed { parameters.seed = seed }
        return parameters
    }
}

/// Streamed text cut into sections as lines end; reports each finished one as a paragraph
/// event (when asked to) and the unfinished line as live text. Fed from the engine's stream.
final class SectionStream: @unchecked Sendable {
    private var splitter: StreamingSections
    private(set) var sections: [String] = []
    private let firstID: Int
    private let report: @Sendable (ComposePipeline.Report) -> Void
    private let emitsParagraphs: Bool

    init(parsers: ComposeParsers, firstID: Int, report: @escaping @Sendable (ComposePipeline.Report) -> Void,
         emitsParagraphs: Bool = true) {
        splitter = StreamingSections(parsers: parsers)
        self.firstID = firstID
        self.report = report
        self.emitsParagraphs = emitsParagraphs
    }

    func feed(_ piece: String) {
        publish(splitter.feed(piece))
        report(.live(splitter.pendingPreview))
    }

    func finish() {
        publish(splitter.finish())
        report(.live(""))
    }

    private func publish(_ finished: [String]) {
        for text in finished {
            if emitsParagraphs { report(.event(.paragraphAppended(ParagraphID(firstID + sections.count), text))) }
            sections.append(text)
        }
    }
}

/// A pipeline failure worded for the user.
struct PipelineFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
