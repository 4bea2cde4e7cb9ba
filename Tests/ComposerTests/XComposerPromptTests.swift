import Engine
import Testing
@testable import Composer

/// The expected strings are typed in from spec §5 (the web demo's code), not built by the code
/// under test.
@Suite struct XComposerPromptTests {
    @Test func articlePromptAndParameters() {
        let prompt = ComposePrompts.xcomposerArticle(title: "春天的西湖")
        #expect(prompt.parts == [.text(" <|User|>:根据给定标题写一个图文并茂，不重复的文章：春天的西湖\n<TOKENS_UNUSED_0> <|Bot|>:")])
        #expect(prompt.startsWithBOS && !prompt.textPartsHaveBOS)
        #expect(prompt.dropLastEmbeddings == 0 && prompt.maxEmbeddings == nil)
        let p = prompt.parameters
        #expect(p.numBeams == 5 && p.repetitionPenalty == 5.0 && p.maxNewTokens == 1000)
        #expect(p.temperature == 0 && !p.penalizePrompt && p.penaltyLastN == nil)
        #expect(p.stopTokens == [103027, 103028])
        #expect((try? p.validate()) != nil)
    }

    @Test func spottingPromptLetsTheModelChooseTheCount() {
        let prompt = ComposePrompts.xcomposerSpotting(sections: ["第一段。", "第二段。", "第三段。"], imageCount: nil)
        let expected = " <|User|>:给定文章\"<Seg0> 第一段。\n<Seg1> 第二段。\n<Seg2> 第三段。\n\" 根据上述文章，选择适合插入图像的行 \n<TOKENS_UNUSED_0> <|Bot|>:适合插入图像的行是"
        #expect(prompt.text == expected)
        #expect(prompt.parts.count == 1)
        #expect(prompt.botPrefix == "适合插入图像的行是")
        let p = prompt.parameters
        #expect(p.numBeams == 5 && p.repetitionPenalty == 1.0 && p.maxNewTokens == 300 && p.temperature == 0)
        #expect(p.stopTokens == [103027, 103028])
    }

    @Test func spottingPromptWithAFixedCountClampedToTheSections() {
        let sections = ["a", "b"]
        let two = " <|User|>:给定文章\"<Seg0> a\n<Seg1> b\n\" 根据上述文章，选择适合插入图像的2行 \n<TOKENS_UNUSED_0> <|Bot|>:适合插入图像的行是"
        #expect(ComposePrompts.xcomposerSpotting(sections: sections, imageCount: 2).text == two)
        #expect(ComposePrompts.xcomposerSpotting(sections: sections, imageCount: 9).text == two)
        let one = " <|User|>:给定文章\"<Seg0> a\n<Seg1> b\n\" 根据上述文章，选择适合插入图像的1行 \n<TOKENS_UNUSED_0> <|Bot|>:适合插入图像的行是"
        #expect(ComposePrompts.xcomposerSpotting(sections: sections, imageCount: 0).text == one)
    }

    @Test func firstCaptionPromptSeesOneSectionPastTheSpot() {
        let prompt = ComposePrompts.xcomposerCaption(sections: ["s0", "s1", "s2", "s3"], spot: 1, previous: [])
        let expected = " <|User|>: 给定文章\"<Seg0> s0\n<Seg1> s1\n<Seg2> s2\n\" 给出适合在<Seg1>后插入的图像对应的标题。 \n<TOKENS_UNUSED_0> <|Bot|>: 标题是\""
        #expect(prompt.text == expected)
        #expect(prompt.botPrefix == "标题是\"")
        let p = prompt.parameters
        #expect(p.numBeams == 1 && p.repetitionPenalty == 5.0 && p.maxNewTokens == 100 && p.temperature == 0)
    }

    @Test func laterCaptionPromptSummarisesEarlierCaptions() {
        let previous = [SpotCaption(spot: 0, caption: "湖面"), SpotCaption(spot: 2, caption: "柳树")]
        let prompt = ComposePrompts.xcomposerCaption(sections: ["s0", "s1", "s2", "s3"], spot: 3, previous: previous)
        let expected = " <|User|>: 给定文章\"<Seg0> s0\n<Seg1> s1\n<Seg2> s2\n<Seg3> s3\n\" 现在<Seg0>后插入图像对应的标题是\"湖面\"， <Seg2>后插入图像对应的标题是\"柳树\"。给出适合在<Seg3>后插入的图像对应的标题。 \n<TOKENS_UNUSED_0> <|Bot|>: 标题是\""
        #expect(prompt.text == expected)
        #expect(ComposePrompts.pastCaptions([SpotCaption(spot: 4, caption: "x")]) == "现在<Seg4>后插入图像对应的标题是\"x\"。")
        #expect(ComposePrompts.pastCaptions([]) == "")
    }

    @Test func selectionPromptInterleavesEarlierImagesAndDoublesEoh() {
        let prompt = ComposePrompts.xcomposerSelection(sections: ["L0", "L1", "L2", "L3"], spots: [0, 2], target: 2)
        let expected = "  <|User|>:根据给定上下文和候选图像，选择合适的配图：L0\n<ImageHere>L1\nL2\n\n\n候选图像包括: A.<ImageHere>\nB.<ImageHere>\nC.<ImageHere>\nD.<ImageHere>\n\n<TOKENS_UNUSED_0> <TOKENS_UNUSED_0> <|Bot|>:最合适的图是<TOKENS_UNUSED_1> </s>"
        #expect(prompt.text == expected)
        #expect(prompt.parts == [
            .text("  <|User|>:根据给定上下文和候选图像，选择合适的配图：L0\n"), .image(0),
            .text("L1\nL2\n\n\n候选图像包括: A."), .image(1), .text("\nB."), .image(2), .text("\nC."), .image(3),
            .text("\nD."), .image(4),
            .text("\n\n<TOKENS_UNUSED_0> <TOKENS_UNUSED_0> <|Bot|>:最合适的图是<TOKENS_UNUSED_1> </s>"),
        ])
        #expect(prompt.maxEmbeddings == 1680 && prompt.dropLastEmbeddings == 2 && prompt.startsWithBOS)
        #expect(!prompt.textPartsHaveBOS)
        let p = prompt.parameters
        #expect(p.numBeams == 5 && p.repetitionPenalty == 1.0 && p.maxNewTokens == 10)
    }

    @Test func firstSelectionHasOnlyTheCandidates() {
        let prompt = ComposePrompts.xcomposerSelection(sections: ["L0", "L1", "L2"], spots: [1, 2], target: 1)
        let expected = "  <|User|>:根据给定上下文和候选图像，选择合适的配图：L0\nL1\n\n\n候选图像包括: A.<ImageHere>\nB.<ImageHere>\nC.<ImageHere>\nD.<ImageHere>\n\n<TOKENS_UNUSED_0> <TOKENS_UNUSED_0> <|Bot|>:最合适的图是<TOKENS_UNUSED_1> </s>"
        #expect(prompt.text == expected)
        #expect(prompt.imageCount == 4)
    }

    @Test func placeholdersInsideSectionsCannotAddImages() {
        let prompt = ComposePrompts.xcomposerSelection(sections: ["a<ImageHere>b", "<Img>c</Img>"], spots: [1], target: 1)
        #expect(prompt.imageCount == 4)
        #expect(prompt.text.hasPrefix("  <|User|>:根据给定上下文和候选图像，选择合适的配图：ab\nc\n\n\n"))
    }

    @Test func familyEntryPointsPickTheRightShape() {
        let xc = ComposePrompts(family: .xcomposer).article(title: "t")
        guard case .xcomposer = xc else { Issue.record("expected an XComposer prompt"); return }
        let instruct = ComposePrompts(family: .instruct).article(title: "t", paragraphCount: 4)
        guard case .instruct(let chat) = instruct else { Issue.record("expected chat messages"); return }
        #expect(chat.messages.user.contains("exactly 4 short paragraphs"))
        #expect(instruct.parameters.temperature > 0)
    }
}
