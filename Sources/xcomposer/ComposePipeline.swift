import Composer
import Engine
import ImageLibrary

/// The article pipeline of InternLM-XComposer, run step by step with a text model: write the
/// article, spot where images belong, caption each spot, retrieve candidates from the library
/// and choose one. Every step reports an `ArticleEvent` (what a live view and an autosave
/// consume) and its raw model output, so nothing the model said is hidden.
struct ComposePipeline {
    /// Runs one prompt through the model and returns its answer.
    typealias Generate = (_ messages: ChatMessages, _ parameters: GenerationParameters) async throws -> String

    struct Options {
        var title: String
        var paragraphs: Int
        /// A fixed number of images, or nil to let the model decide.
        var images: Int?
        var seed: UInt64?
    }

    /// What happened at one step, for `--verbose` and progress lines.
    enum Report {
        case step(String)
        case rawOutput(step: String, text: String)
        case fallback(step: String, why: String)
        case event(ArticleEvent)
    }

    let prompts = ComposePrompts(family: .instruct)
    let parsers = ComposeParsers(family: .instruct)
    let library: [LibraryImage]
    let generate: Generate
    let report: (Report) -> Void

    func run(_ options: Options) async throws -> Article {
        var article = Article(title: options.title)
        func emit(_ event: ArticleEvent) throws {
            try article.apply(event)
            report(.event(event))
        }
        try emit(.titleSet(options.title))

        // 1. The article, one paragraph per line.
        report(.step("writing the article"))
        let articlePrompt = try instruct(prompts.article(title: options.title, paragraphCount: options.paragraphs))
        let articleText = try await generate(articlePrompt.messages, seeded(articlePrompt.parameters, options.seed))
        report(.rawOutput(step: "article", text: articleText))
        let sections = parsers.article(articleText)
        if let why = sections.fallback { report(.fallback(step: "article", why: why)) }
        guard !sections.value.isEmpty else {
            throw PipelineFailure("the model wrote no paragraphs for “\(options.title)” (raw answer: \(articleText.prefix(80)))")
        }
        for (index, text) in sections.value.enumerated() {
            try emit(.paragraphAppended(ParagraphID(index), text))
        }

        // 2. Where images go.
        report(.step("choosing where images go"))
        let spotPrompt = try instruct(prompts.spotting(sections: sections.value, imageCount: options.images))
        let spotText = try await generate(spotPrompt.messages, spotPrompt.parameters)
        report(.rawOutput(step: "spotting", text: spotText))
        var spots = parsers.spots(spotText, sectionCount: sections.value.count, requested: options.images)
        if spots.value.isEmpty {
            // The model chose nowhere: one image in the middle, said out loud.
            spots = ParsedAnswer(value: SpotParser.evenlySpaced(count: 1, in: sections.value.count),
                                 fallback: "no usable paragraph numbers in the answer; one image after the middle paragraph")
        }
        if let why = spots.fallback { report(.fallback(step: "spotting", why: why)) }

        // 3–5. Caption, retrieve, choose, one spot at a time so no image is used twice.
        var used = Set<String>()
        for (number, spot) in spots.value.enumerated() {
            let slot = SlotID(number)
            guard let paragraph = article.content.paragraphID(atSection: spot) else { continue }
            try emit(.slotSpotted(slot, after: paragraph))
            report(.step("captioning the image after paragraph \(spot + 1)"))
            let captionPrompt = try instruct(prompts.caption(sections: sections.value, spot: spot, previous: []))
            let captionText = try await generate(captionPrompt.messages, captionPrompt.parameters)
            report(.rawOutput(step: "caption \(number + 1)", text: captionText))
            let caption = parsers.caption(captionText, section: sections.value[spot])
            if let why = caption.fallback { report(.fallback(step: "caption \(number + 1)", why: why)) }
            try emit(.captionSet(slot, caption.value))

            try emit(.retrievalStarted(slot))
            // The caption first; the paragraph itself when the caption matches nothing.
            var found = LibrarySearch.rank(caption: caption.value, in: library, excluding: used, limit: ComposePrompts.candidateCount)
            if found.isEmpty {
                found = LibrarySearch.rank(caption: sections.value[spot], in: library, excluding: used, limit: ComposePrompts.candidateCount)
                if !found.isEmpty {
                    report(.fallback(step: "retrieval \(number + 1)", why: "no library caption shares a word with “\(caption.value)”; searched with the paragraph instead"))
                }
            }
            guard !found.isEmpty else {
                try emit(.slotFailed(slot, message: "no image in the library matches “\(caption.value)”"))
                continue
            }
            let candidates = found.map {
                Candidate(path: $0.image.path, score: Float($0.score), captionText: $0.image.caption ?? "")
            }
            // Text-only model: the best retrieval score wins (a vision model would look at them).
            try emit(.candidatesFound(slot, candidates))
            try emit(.imageChosen(slot, index: 0))
            used.insert(candidates[0].path)
        }
        return article
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

/// A pipeline failure worded for the user.
struct PipelineFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
