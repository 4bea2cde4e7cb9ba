import Composer
import Foundation
import LanguageModels
import Testing
import VisionModels
@testable import xcomposer

/// The XComposer family's step prompts become exactly the token and image parts of spec §5, with
/// the tiny checkpoint's tokenizer. Expected ids come from the independent reference
/// (`reference/tokens.json`, the Hugging Face slow tokenizer), not from the code under test.
@Suite(.serialized) struct XComposerStepPartsTests {
    static let bos: Int32 = 1
    static let eos: Int32 = 2
    static let eoh: Int32 = 1184
    static let eoa: Int32 = 1185
    static let space: Int32 = 906  // "▁"
    static let sections = ["春天来了，花园里的花都开了。", "小鸟在树上唱歌，孩子们在草地上玩耍。"]

    func parts(_ prompt: StepPrompt, images: [String] = []) throws -> [LanguageModels.PromptPart] {
        guard case let .xcomposer(composer) = prompt else { throw TinyModelError("not an XComposer prompt") }
        return try TinyModel.runner().parts(composer, images: images)
    }

    /// The ids of a prompt made of text only (BOS is a part of its own: positions are what count).
    func ids(_ prompt: StepPrompt) throws -> [Int32] {
        try parts(prompt).flatMap { part -> [Int32] in
            guard case let .tokens(ids) = part else { throw TinyModelError("a text-only step has an image block") }
            return ids
        }
    }

    var prompts: ComposePrompts {
        get throws { ComposePrompts(family: try TinyModel.runner().family) }
    }

    @Test func theTinyCheckpointIsAnXComposerModel() throws {
        let model = try TinyModel.model()
        #expect(model.runner.family == .xcomposer && model.runner.seesImages)
        #expect(model.captioner != nil)
        // Its own eoh/eoa ids replace the real vocabulary's, and EOS stops too.
        let runner = try TinyModel.runner()
        let fitted = try runner.fitted(ComposePrompts.xcomposerArticle(title: "x").parameters, promptLength: 10)
        #expect(fitted.stopTokens == [Self.eoh, Self.eoa, Self.eos])
        #expect(fitted.numBeams == 5 && fitted.repetitionPenalty == 5.0 && !fitted.penalizePrompt)
    }

    @Test func articlePromptIsOneTokenisationWithBOS() throws {
        let prompt = try prompts.article(title: "春天的花园")
        let expected = try TinyModel.ids(of: " <|User|>:根据给定标题写一个图文并茂，不重复的文章：春天的花园\n<TOKENS_UNUSED_0> <|Bot|>:")
        #expect(try ids(prompt) == [Self.bos] + expected)
    }

    @Test func spottingPromptsWithAndWithoutACount() throws {
        let free = try ids(try prompts.spotting(sections: Self.sections, imageCount: nil))
        let freeIDs = try TinyModel.ids(of: " <|User|>:给定文章\"<Seg0> 春天来了，花园里的花都开了。\n<Seg1> 小鸟在树上唱歌，孩子们在草地上玩耍。\n\" 根据上述文章，选择适合插入图像的行 \n<TOKENS_UNUSED_0> <|Bot|>:适合插入图像的行是")
        #expect(free == [Self.bos] + freeIDs)
        // The UI caps a fixed count at the number of sections: 3 stays 3 only with 3+ sections.
        let three = try ids(try prompts.spotting(sections: Self.sections + ["第三段。"], imageCount: 3))
        #expect(three.first == Self.bos && three.count > free.count)
    }

    @Test func captionPromptsSummariseEarlierCaptions() throws {
        let first = try ids(try prompts.caption(sections: Self.sections, spot: 0, previous: []))
        let firstIDs = try TinyModel.ids(of: " <|User|>: 给定文章\"<Seg0> 春天来了，花园里的花都开了。\n<Seg1> 小鸟在树上唱歌，孩子们在草地上玩耍。\n\" 给出适合在<Seg0>后插入的图像对应的标题。 \n<TOKENS_UNUSED_0> <|Bot|>: 标题是\"")
        #expect(first == [Self.bos] + firstIDs)
        let second = try ids(try prompts.caption(sections: Self.sections, spot: 1,
                                                   previous: [SpotCaption(spot: 0, caption: "春天的花")]))
        let secondIDs = try TinyModel.ids(of: " <|User|>: 给定文章\"<Seg0> 春天来了，花园里的花都开了。\n<Seg1> 小鸟在树上唱歌，孩子们在草地上玩耍。\n\" 现在<Seg0>后插入图像对应的标题是\"春天的花\"。给出适合在<Seg1>后插入的图像对应的标题。 \n<TOKENS_UNUSED_0> <|Bot|>: 标题是\"")
        #expect(second == [Self.bos] + secondIDs)
    }

    /// Spot 0's chosen picture sits after its line, the four candidates after their letters;
    /// every text piece is tokenised alone without BOS, one BOS leads, and eoa and `</s>` (one
    /// id thanks to the slow tokenizer's whitespace stripping) are dropped from the end.
    @Test func selectionPromptInterleavesTheImages() throws {
        let rocket = TinyModel.images.appendingPathComponent("rocket.jpg").path
        let cat = TinyModel.images.appendingPathComponent("chelsea.png").path
        let images = [cat, rocket, cat, rocket, cat]  // earlier pick, then candidates A–D
        let prompt = try prompts.selection(sections: ["春天来了。", "小鸟在唱歌。"], spots: [0], target: 1,
                                           candidateCaptions: [])
        let result = try parts(prompt, images: images)
        let pictures = try TinyModel.runner().pictures
        let vectors = [try pictures.embedding(for: cat), try pictures.embedding(for: rocket)]
        #expect(vectors.allSatisfy { $0.count == 66 && $0.width == 64 })
        func image(_ path: String) -> LanguageModels.PromptPart {
            let embedding = path == cat ? vectors[0] : vectors[1]
            return .embeddings(values: embedding.values, count: embedding.count)
        }
        // align_text doubled the space before <|User|>: "▁" then the single-space tokenisation.
        let head = [Self.space] + (try TinyModel.ids(of: " <|User|>:根据给定上下文和候选图像，选择合适的配图：春天来了。\n"))
        let tail: [Int32] = [13, 13, Self.eoh, Self.space, Self.eoh, 328, 991, 638, 1086, 1158, 1106]
        let expected: [LanguageModels.PromptPart] = [
            .tokens([Self.bos]), .tokens(head), image(cat),
            .tokens(try TinyModel.ids(of: "小鸟在唱歌。\n\n\n候选图像包括: A.")), image(rocket),
            .tokens(try TinyModel.ids(of: "\nB.")), image(cat),
            .tokens(try TinyModel.ids(of: "\nC.")), image(rocket),
            .tokens(try TinyModel.ids(of: "\nD.")), image(cat),
            .tokens(tail),
        ]
        #expect(result.count == expected.count)
        #expect(result == expected)
        // Where each image block starts, and how long it is.
        var position = 0
        var blocks: [Int] = []
        for part in result {
            if case let .embeddings(_, count) = part {
                #expect(count == 66)
                blocks.append(position)
            }
            position += part.count
        }
        let headLength = 1 + head.count
        #expect(blocks.first == headLength)
        #expect(blocks.count == 5)
    }

    /// `max_txt_len`: a long article is cut to 1680 positions before BOS, then 2 come off the end.
    @Test func selectionPromptIsCutAt1680Positions() throws {
        let rocket = TinyModel.images.appendingPathComponent("rocket.jpg").path
        let long = Array(repeating: String(repeating: "春天来了，花园里的花都开了。", count: 10), count: 20)
        let prompt = try prompts.selection(sections: long, spots: [], target: 19, candidateCaptions: [])
        let result = try parts(prompt, images: Array(repeating: rocket, count: 4))
        #expect(result.reduce(0) { $0 + $1.count } == 1 + 1680 - 2)
        #expect(result.first == .tokens([Self.bos]))
    }

    @Test func dropLastCutsAcrossParts() {
        let parts: [LanguageModels.PromptPart] = [.tokens([1, 2]), .embeddings(values: [1, 1, 2, 2, 3, 3], count: 3), .tokens([9])]
        #expect(XComposerStepParts.dropLast(2, of: parts) == [.tokens([1, 2]), .embeddings(values: [1, 1, 2, 2], count: 2)])
        #expect(XComposerStepParts.dropLast(5, of: parts) == [.tokens([1])])
        #expect(XComposerStepParts.dropLast(0, of: parts) == parts)
    }
}
