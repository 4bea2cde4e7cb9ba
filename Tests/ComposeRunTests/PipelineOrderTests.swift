import Composer
import Foundation
import ImageLibrary
import Synchronization
import Testing
@testable import xcomposer

/// The pipeline's order of work with a model that sees (spec §5): every spot captioned in the
/// model's order with the earlier captions summarised, then the selection walking down the
/// article, each prompt showing the pictures already chosen above it. A text model keeps
/// choosing by retrieval score and is never asked to select.
@Suite(.serialized) struct PipelineOrderTests {
    /// Answers each XComposer step with a fixed reply and records what it was asked.
    final class Recorder: StepRunner {
        let family: PromptFamily
        let seesImages: Bool
        let calls = Mutex<[(prompt: StepPrompt, images: [String])]>([])

        init(family: PromptFamily) {
            self.family = family
            seesImages = family == .xcomposer
        }

        func answer(_ prompt: StepPrompt, images: [String], onText: @escaping @Sendable (String) -> Void) async throws -> String {
            calls.withLock { $0.append((prompt, images)) }
            let reply: String
            switch prompt {
            case let .xcomposer(composer):
                switch composer.botPrefix {
                case ComposePrompts.spottingBotPrefix: reply = "<Seg2>和<Seg0>"
                case ComposePrompts.captionBotPrefix: reply = "a red rocket\""
                case ComposePrompts.selectionBotPrefix: reply = " B"
                default: reply = "第一段。\n第二段。\n第三段。"
                }
            case let .instruct(instruct):
                if instruct.messages.user.contains("would fit best") {
                    reply = "3, 1"
                } else if instruct.messages.user.lowercased().contains("caption") {
                    reply = "a red rocket"
                } else {
                    reply = "First paragraph.\nSecond paragraph.\nThird paragraph."
                }
            }
            onText(reply)
            return reply
        }

        func selections() -> [(text: String, images: [String])] {
            calls.withLock { calls in
                calls.compactMap { call in
                    guard case let .xcomposer(prompt) = call.prompt, prompt.botPrefix == ComposePrompts.selectionBotPrefix else { return nil }
                    return (prompt.text, call.images)
                }
            }
        }

        func captionPrompts() -> [String] {
            calls.withLock { calls in
                calls.compactMap { call in
                    guard case let .xcomposer(prompt) = call.prompt, prompt.botPrefix == ComposePrompts.captionBotPrefix else { return nil }
                    return prompt.text
                }
            }
        }
    }

    static func library(_ folder: PictureFolder) throws -> [LibraryImage] {
        for number in folder.paths.indices { try folder.sidecar("a red rocket picture number \(number)", for: number) }
        let index = try LibraryIndex.open(path: folder.url.appendingPathComponent("library.sqlite").path)
        _ = try index.scan(folder: folder.url.path)
        return try index.all()
    }

    @Test func aSeeingModelCaptionsFirstThenSelectsDownTheArticle() async throws {
        let folder = try PictureFolder(count: 6)
        let recorder = Recorder(family: .xcomposer)
        let pipeline = ComposePipeline(library: try Self.library(folder), runner: recorder, report: { _ in })
        let article = try await pipeline.run(.init(title: "火箭", paragraphs: 3, images: 2, seed: nil))
        #expect(article.paragraphs.count == 3)

        // Captions in the model's order (spot 2, then 0), the second summarising the first.
        let captions = recorder.captionPrompts()
        #expect(captions.count == 2)
        #expect(captions.first?.contains("给出适合在<Seg2>后插入") == true && captions.first?.contains("现在") == false)
        #expect(captions.last?.contains("现在<Seg2>后插入图像对应的标题是\"a red rocket\"。给出适合在<Seg0>后插入") == true)

        // Selection walks down: spot 0 sees the 4 candidates; spot 2 also sees spot 0's pick.
        let selections = recorder.selections()
        #expect(selections.map(\.images.count) == [4, 5])
        let slots = article.content.slots
        let top = try #require(slots.first { article.content.paragraphID(atSection: 0) == $0.afterParagraph })
        let bottom = try #require(slots.first { article.content.paragraphID(atSection: 2) == $0.afterParagraph })
        #expect(top.chosenIndex == 1 && bottom.chosenIndex == 1, "the model's B is taken")
        #expect(selections.last?.images.first == top.chosen?.path)
        #expect(selections.last.map { $0.text.components(separatedBy: ComposePrompts.imagePlaceholder).count - 1 } == 5)
        #expect(top.chosen?.path != bottom.chosen?.path)
        #expect(!(selections.last?.images.dropFirst().contains(top.chosen?.path ?? "") ?? true), "a placed picture is no candidate")
    }

    @Test func aTextModelChoosesByScoreWithoutBeingAsked() async throws {
        let folder = try PictureFolder(count: 6)
        let recorder = Recorder(family: .instruct)
        let pipeline = ComposePipeline(library: try Self.library(folder), runner: recorder, report: { _ in })
        let article = try await pipeline.run(.init(title: "Rockets", paragraphs: 3, images: 2, seed: nil))
        #expect(recorder.selections().isEmpty)
        #expect(recorder.calls.withLock { $0.allSatisfy { $0.images.isEmpty } })
        let chosen = article.content.slots.compactMap(\.chosenIndex)
        #expect(chosen.count == 2 && chosen.allSatisfy { $0 == 0 })
    }
}
