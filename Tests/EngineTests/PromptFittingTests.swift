import Testing
@testable import Engine

@Suite struct PromptFittingTests {
    let prompt: [Int32] = Array(0..<20)

    @Test func errorPolicyAcceptsPromptsLeavingRoom() throws {
        let fitted = try PromptFitting.fit(prompt, contextLength: 21, maxNewTokens: 100, policy: .error)
        #expect(fitted == .init(tokens: prompt, dropped: 0))
    }

    @Test func errorPolicyRejectsPromptsFillingTheContext() {
        #expect(throws: EngineError.promptTooLong(promptTokens: 20, contextLength: 20)) {
            try PromptFitting.fit(prompt, contextLength: 20, maxNewTokens: 1, policy: .error)
        }
        let message = EngineError.promptTooLong(promptTokens: 20, contextLength: 20).description
        #expect(message.contains("20 tokens") && message.contains("holds 20"))
    }

    @Test func truncationKeepsTheHeadAndTheLatestTokens() throws {
        // Context 16, reserve min(4, 8) = 4, so 12 tokens stay: the first 3 and the last 9.
        let fitted = try PromptFitting.fit(prompt, contextLength: 16, maxNewTokens: 4, policy: .truncateStart(keep: 3))
        #expect(fitted.tokens == [0, 1, 2] + Array(11..<20))
        #expect(fitted.dropped == 8)
    }

    @Test func truncationReservesAtMostHalfTheContext() throws {
        let fitted = try PromptFitting.fit(prompt, contextLength: 16, maxNewTokens: 500, policy: .truncateStart(keep: 1))
        #expect(fitted.tokens == [0] + Array(13..<20))
    }

    @Test func shortPromptsAreNotTruncated() throws {
        let fitted = try PromptFitting.fit(prompt, contextLength: 64, maxNewTokens: 10, policy: .truncateStart(keep: 2))
        #expect(fitted == .init(tokens: prompt, dropped: 0))
    }

    @Test func truncationFailsWhenTheHeadIsTooLong() {
        #expect(throws: EngineError.cannotTruncate(promptTokens: 20, keep: 12, target: 12)) {
            try PromptFitting.fit(prompt, contextLength: 16, maxNewTokens: 4, policy: .truncateStart(keep: 12))
        }
    }
}
