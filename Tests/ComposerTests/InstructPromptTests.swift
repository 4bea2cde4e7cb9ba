import Engine
import Testing
@testable import Composer

@Suite struct InstructPromptTests {
    @Test func spottingNumbersParagraphsFromOne() {
        let prompt = InstructPrompts.spotting(sections: ["Alpha.", "Beta.", "Gamma."], imageCount: 2)
        #expect(prompt.messages.user.contains("1. Alpha.\n2. Beta.\n3. Gamma."))
        #expect(prompt.messages.user.contains("Choose 2 paragraphs"))
        #expect(prompt.messages.user.hasSuffix("Answer with the numbers only, e.g. 2, 5"))
        #expect(prompt.parameters.isGreedy)
        #expect((try? prompt.parameters.validate()) != nil)
    }

    @Test func captionSeesTheParagraphsUpToOnePastTheSpot() {
        let prompt = InstructPrompts.caption(sections: ["p1", "p2", "p3", "p4"], spot: 1)
        #expect(prompt.messages.user.contains("1. p1\n2. p2\n3. p3\n\n"))
        #expect(!prompt.messages.user.contains("p4"))
        #expect(prompt.messages.user.contains("after paragraph 2"))
    }

    @Test func selectionListsCandidateCaptionsAsLetters() {
        let prompt = InstructPrompts.selection(sections: ["A cat sleeps."], spot: 0,
                                               candidateCaptions: ["a dog", "a cat", "a car", "a tree", "extra"])
        #expect(prompt.messages.user.contains("A. a dog\nB. a cat\nC. a car\nD. a tree\n"))
        #expect(!prompt.messages.user.contains("extra"))
        #expect(prompt.messages.user.contains("A cat sleeps."))
    }

    @Test func outOfRangeSpotsDoNotCrash() {
        #expect(InstructPrompts.caption(sections: [], spot: 5).messages.user.contains("paragraph 6"))
        #expect(InstructPrompts.selection(sections: [], spot: -1, candidateCaptions: []).messages.system != nil)
        #expect(ComposePrompts.xcomposerCaption(sections: ["a"], spot: -7, previous: []).text.contains("<Seg-7>"))
        #expect(ComposePrompts.xcomposerSelection(sections: ["a"], spots: [], target: 9).imageCount == 4)
    }
}
