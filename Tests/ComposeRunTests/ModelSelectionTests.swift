import Composer
import Foundation
import ImageLibrary
import Synchronization
import Testing
@testable import xcomposer

/// Spec §5 step 5 end to end on the tiny checkpoint: four candidates retrieved from a library,
/// encoded, shown to the model in the selection prompt, its answer parsed. Random weights give
/// an arbitrary answer, so the test checks the contract: an index in 0..<4, the model's pick
/// when its answer names a letter, and a stated fallback to the retrieval order when not.
@Suite(.serialized) struct ModelSelectionTests {
    final class Log: Sendable {
        let reports = Mutex<[ComposePipeline.Report]>([])
        func add(_ report: ComposePipeline.Report) { reports.withLock { $0.append(report) } }
        var all: [ComposePipeline.Report] { reports.withLock { $0 } }
    }

    static func library(_ folder: PictureFolder) throws -> [LibraryImage] {
        let index = try LibraryIndex.open(path: folder.url.appendingPathComponent("library.sqlite").path)
        _ = try index.scan(folder: folder.url.path)
        return try index.all()
    }

    @Test func theModelChoosesAmongFourCandidates() async throws {
        let folder = try PictureFolder(count: 5)
        for number in 0..<5 { try folder.sidecar("a red rocket picture number \(number)", for: number) }
        let library = try Self.library(folder)
        #expect(library.count == 5)
        let log = Log()
        let pipeline = ComposePipeline(library: library, runner: try TinyModel.runner(), report: { log.add($0) })
        var events: [ArticleEvent] = []
        // Picture 4 was chosen for the spot above: it is shown in context, never as a candidate.
        let context = SelectionContext(sections: ["A rocket stands on the pad.", "It rises into the sky."], spot: 1,
                                       earlier: [.init(spot: 0, path: folder.paths[4])])
        let chosen = try await pipeline.search(SlotID(1), caption: "a red rocket", context: context, label: "2",
                                               excluding: [folder.paths[4]]) { events.append($0) }
        let candidates = events.compactMap { event -> [Candidate]? in
            if case let .candidatesFound(_, found) = event { return found }
            return nil
        }.first ?? []
        #expect(candidates.count == 4)
        #expect(!candidates.contains { $0.path == folder.paths[4] })
        let index = try #require(events.compactMap { event -> Int? in
            if case let .imageChosen(_, index) = event { return index }
            return nil
        }.first)
        #expect((0..<4).contains(index))
        #expect(chosen == candidates[index].path)

        let raw = log.all.compactMap { report -> String? in
            if case let .rawOutput(step, text) = report, step == "selection 2" { return text }
            return nil
        }
        #expect(raw.count == 1, "the selection's raw answer is reported")
        let fallbacks = log.all.compactMap { report -> String? in
            if case let .fallback(step, why) = report, step == "selection 2" { return why }
            return nil
        }
        let parsed = SelectionParser.xcomposer(raw.first ?? "")
        if parsed.fallback == nil {
            #expect(index == parsed.value, "the model's letter decides")
            #expect(fallbacks.isEmpty)
        } else {
            #expect(index == 0, "an unreadable answer falls back to the best retrieval score")
            #expect(fallbacks.count == 1 && fallbacks[0].contains("retrieval"), "\(fallbacks)")
        }
        // The candidates and the earlier pick were each encoded once.
        #expect(try TinyModel.runner().pictures.encodedCount >= 5)
    }

    @Test func aMalformedAnswerFallsBackToTheRetrievalOrderOutLoud() async throws {
        let folder = try PictureFolder(count: 4)
        let library = try Self.library(folder)
        let log = Log()
        let pipeline = ComposePipeline(library: library, runner: ScriptedRunner(reply: "？？ none of them"), report: { log.add($0) })
        let candidates = library.map { Candidate(path: $0.path, score: 1) }
        let index = try await pipeline.choose(among: candidates, context: SelectionContext(sections: ["x"], spot: 0), label: "1")
        #expect(index == 0)
        let why = log.all.compactMap { report -> String? in
            if case let .fallback(_, why) = report { return why }
            return nil
        }
        #expect(why.count == 1 && why[0].contains("retrieval score"))
        let letter = try await ComposePipeline(library: library, runner: ScriptedRunner(reply: " C is best"), report: { _ in })
            .choose(among: candidates, context: SelectionContext(sections: ["x"], spot: 0), label: "1")
        #expect(letter == 2)
    }

    @Test func fewerThanFourCandidatesTakeTheBestScoreWithAReason() async throws {
        let folder = try PictureFolder(count: 2)
        let library = try Self.library(folder)
        let log = Log()
        let pipeline = ComposePipeline(library: library, runner: ScriptedRunner(reply: "B"), report: { log.add($0) })
        let index = try await pipeline.choose(among: library.map { Candidate(path: $0.path) },
                                              context: SelectionContext(sections: ["x"], spot: 0), label: "1")
        #expect(index == 0)
        #expect(log.all.contains { if case .fallback = $0 { return true } else { return false } })
    }
}

/// A model that sees and always answers `reply` (for the parsing contract without weights).
struct ScriptedRunner: StepRunner {
    let reply: String
    var family: PromptFamily { .xcomposer }
    var seesImages: Bool { true }
    func answer(_ prompt: StepPrompt, images: [String], onText: @escaping @Sendable (String) -> Void) async throws -> String {
        reply
    }
}
