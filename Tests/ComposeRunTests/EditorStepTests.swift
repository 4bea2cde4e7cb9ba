import Composer
import Testing
@testable import xcomposer

/// Editor steps the web demo has no prompt for (rewrite a paragraph, write the next one) reach
/// XComposer as a first chat turn (spec §4.2) instead of failing for want of a template.
@Suite(.serialized) struct EditorStepTests {
    @Test func aChatStepRunsOnTheXComposerModel() async throws {
        let runner = try TinyModel.runner()
        var prompt = InstructPrompts.rewrite(title: "春天", sections: ["春天来了。", "小鸟在唱歌。"], index: 1)
        prompt.parameters.maxNewTokens = 8
        let reply = try await runner.answer(.instruct(prompt))
        #expect(reply.utf8.count < 8 * 64, "at most 8 tokens came back")
        // Pictures cannot go into a chat step.
        await #expect(throws: PipelineFailure.self) {
            _ = try await runner.answer(.instruct(prompt), images: [TinyModel.images.appendingPathComponent("rocket.jpg").path]) { _ in }
        }
    }
}
