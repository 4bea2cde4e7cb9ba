import Composer
import Engine
import ImageLibrary

/// The article pipeline of InternLM-XComposer, run step by step: write the article, spot where
/// images belong, caption each spot, retrieve candidates from the library and choose one.
/// Every step reports an `ArticleEvent` (what a live view and an autosave consume) and its raw
/// model output, so nothing the model said is hidden. The editor's single steps (rewrite a
/// paragraph, write the next one, caption a slot again, search again) are here too, with the
/// same prompts and parsers.
///
/// The code is the same for every model: the `StepRunner` decides the prompt family (the
/// original prompts for XComposer, English chat prompts for instruct models) and whether the
/// model looks at the candidates (XComposer) or the retrieval score chooses (text models).
struct ComposePipeline: Sendable {
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

    let library: [LibraryImage]
    /// Embeds captions with the model for the cosine half of the ranking; nil ranks by BM25 alone.
    var embedder: CaptionEmbedder? = nil
    let runner: any StepRunner
    let report: @Sendable (Report) -> Void

    var prompts: ComposePrompts { ComposePrompts(family: runner.family) }
    var parsers: ComposeParsers { ComposeParsers(family: runner.family) }

    init(library: [LibraryImage], embedder: CaptionEmbedder? = nil, runner: any StepRunner,
         report: @escaping @Sendable (Report) -> Void) {
        self.library = library
        self.embedder = embedder
        self.runner = runner
        self.report = report
    }

    func run(_ options: Options) async throws -> Article {
        var article = Article(title: options.title)
        func emit(_ event: ArticleEvent) throws {
            try article.apply(event)
            report(.event(event))
        }
        try emit(.titleSet(options.title))

        // 1. The article, one paragraph per line, each shown as soon as its line ends.
        report(.step("writing the article"))
        let articlePrompt = seeded(prompts.article(title: options.title, paragraphCount: options.paragraphs), options.seed)
        let stream = SectionStream(parsers: parsers, firstID: options.firstParagraph, report: report)
        let articleText = try await runner.answer(articlePrompt) { stream.feed($0) }
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
        let spotText = try await runner.answer(prompts.spotting(sections: written, imageCount: options.images))
        report(.rawOutput(step: "spotting", text: spotText))
        var spots = parsers.spots(spotText, sectionCount: written.count, requested: options.images)
        if spots.value.isEmpty {
            // The model chose nowhere: one image in the middle, said out loud.
            spots = ParsedAnswer(value: SpotParser.evenlySpaced(count: 1, in: written.count),
                                 fallback: "no usable paragraph numbers in the answer; one image after the middle paragraph")
        }
        if let why = spots.fallback { report(.fallback(step: "spotting", why: why)) }

        // 3–5. Caption, retrieve, choose. A model that looks at the pictures sees those already
        // chosen for the spots above, so (as the web demo does) every spot is captioned first, in
        // the model's order, then illustrated walking down the article; a text model illustrates
        // each spot as soon as it is captioned. Either way no image is used twice.
        var slots: [(slot: SlotID, spot: Int, label: String)] = []
        var captions: [SpotCaption] = []
        var used = Set<String>()
        var picks: [SelectionContext.Pick] = []
        for (number, spot) in spots.value.enumerated() {
            let slot = SlotID(options.firstSlot + number)
            guard let paragraph = article.content.paragraphID(atSection: spot) else { continue }
            try emit(.slotSpotted(slot, after: paragraph))
            let caption = try await self.caption(slot, sections: written, spot: spot, previous: captions,
                                                 label: "\(number + 1)", emit: emit)
            captions.append(SpotCaption(spot: spot, caption: caption))
            if runner.seesImages {
                slots.append((slot, spot, "\(number + 1)"))
            } else if let chosen = try await search(slot, caption: caption, context: SelectionContext(sections: written, spot: spot),
                                                    label: "\(number + 1)", excluding: used, emit: emit) {
                used.insert(chosen)
            }
        }
        for (slot, spot, label) in slots.sorted(by: { $0.spot < $1.spot }) {
            let caption = captions.first { $0.spot == spot }?.caption ?? ""
            let context = SelectionContext(sections: written, spot: spot, earlier: picks)
            if let chosen = try await search(slot, caption: caption, context: context, label: label,
                                             excluding: used, emit: emit) {
                used.insert(chosen)
                picks.append(SelectionContext.Pick(spot: spot, path: chosen))
            }
        }
        return article
    }

    /// Captions the slot after section `spot`, retrieves candidates and chooses one; returns
    /// the chosen image's path. (The editor's "caption again": no earlier captions or pictures.)
    func illustrate(_ slot: SlotID, sections: [String], spot: Int, label: String, excluding used: Set<String>,
                    emit: (ArticleEvent) throws -> Void) async throws -> String? {
        let caption = try await self.caption(slot, sections: sections, spot: spot, previous: [], label: label, emit: emit)
        return try await search(slot, caption: caption, context: SelectionContext(sections: sections, spot: spot),
                                label: label, excluding: used, emit: emit)
    }

    /// Step 3: the caption of the image after section `spot`; `previous` are the captions
    /// already written for this article, in the order they were made.
    func caption(_ slot: SlotID, sections: [String], spot: Int, previous: [SpotCaption], label: String,
                 emit: (ArticleEvent) throws -> Void) async throws -> String {
        report(.step("captioning the image after paragraph \(spot + 1)"))
        let captionText = try await runner.answer(prompts.caption(sections: sections, spot: spot, previous: previous))
        report(.rawOutput(step: "caption \(label)", text: captionText))
        let caption = parsers.caption(captionText, section: sections[spot])
        if let why = caption.fallback { report(.fallback(step: "caption \(label)", why: why)) }
        try emit(.captionSet(slot, caption.value))
        return caption.value
    }

    /// A new version of paragraph `index`, streamed live.
    func rewrite(title: String, sections: [String], index: Int) async throws -> String {
        report(.step("rewriting paragraph \(index + 1)"))
        return try await oneParagraph(.instruct(InstructPrompts.rewrite(title: title, sections: sections, index: index)),
                                      step: "rewrite \(index + 1)")
    }

    /// The paragraph after the last one, streamed live.
    func nextParagraph(title: String, sections: [String]) async throws -> String {
        report(.step("writing paragraph \(sections.count + 1)"))
        return try await oneParagraph(.instruct(InstructPrompts.continuation(title: title, sections: sections)),
                                      step: "paragraph \(sections.count + 1)")
    }

    private func oneParagraph(_ prompt: StepPrompt, step: String) async throws -> String {
        let stream = SectionStream(parsers: parsers, firstID: 0, report: report, emitsParagraphs: false)
        let text = try await runner.answer(prompt) { stream.feed($0) }
        stream.finish()
        report(.rawOutput(step: step, text: text))
        guard let first = stream.sections.first else {
            throw PipelineFailure("the model wrote no paragraph (raw answer: \(text.prefix(80)))")
        }
        return first
    }

    private func seeded(_ prompt: StepPrompt, _ seed: UInt64?) -> StepPrompt {
        guard let seed else { return prompt }
        switch prompt {
        case var .instruct(instruct):
            instruct.parameters.seed = seed
            return .instruct(instruct)
        case var .xcomposer(composer):
            composer.parameters.seed = seed
            return .xcomposer(composer)
        }
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
