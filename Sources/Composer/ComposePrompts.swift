import Engine

/// Prompts and decoding parameters for every step of the interleaved composition pipeline
/// (spec §5), for either model family.
///
/// The XComposer prompts are the web demo's (`V1/examples/web_demo.py`, `Demo_UI`) byte for byte;
/// the instruct prompts are English rewrites that small chat models can follow.
public struct ComposePrompts: Sendable {
    /// The placeholder the original code splits on where image embeddings go.
    public static let imagePlaceholder = "<ImageHere>"
    /// eoh, `decode([103027])`.
    public static let endOfHuman = "<TOKENS_UNUSED_0>"
    /// eoa, `decode([103028])`.
    public static let endOfAssistant = "<TOKENS_UNUSED_1>"
    /// The ids that stop every XComposer call: eoh and eoa.
    public static let xcomposerStopTokens: Set<Int32> = [103027, 103028]
    /// Bot prefix of the spotting step ("The lines suitable for inserting images are").
    public static let spottingBotPrefix = "适合插入图像的行是"
    /// Bot prefix of the caption step (`标题是"`, "The caption is \"").
    public static let captionBotPrefix = "标题是\""
    /// Bot prefix of the selection step ("The most suitable image is").
    public static let selectionBotPrefix = "最合适的图是"
    /// Most lines (sections) an article keeps (`max_section`).
    public static let maxSections = 60
    /// Most embeddings of a selection prompt (`max_txt_len`).
    public static let selectionMaxEmbeddings = 1680
    /// Candidates per image slot.
    public static let candidateCount = 4

    /// The family these prompts are for.
    public let family: PromptFamily

    public init(family: PromptFamily) {
        self.family = family
    }

    // MARK: - Family-independent entry points

    /// Step 1: write an article about `title` (`paragraphCount` only steers instruct models;
    /// XComposer decides the length itself).
    public func article(title: String, paragraphCount: Int = 6) -> StepPrompt {
        switch family {
        case .xcomposer: .xcomposer(Self.xcomposerArticle(title: title))
        case .instruct: .instruct(InstructPrompts.article(title: title, paragraphCount: paragraphCount))
        }
    }

    /// Step 2: choose the sections after which images go; `imageCount` nil lets the model decide.
    public func spotting(sections: [String], imageCount: Int?) -> StepPrompt {
        switch family {
        case .xcomposer: .xcomposer(Self.xcomposerSpotting(sections: sections, imageCount: imageCount))
        case .instruct: .instruct(InstructPrompts.spotting(sections: sections, imageCount: imageCount))
        }
    }

    /// Step 3: caption the image after section `spot`; `previous` are the captions already
    /// written, in the order they were made.
    public func caption(sections: [String], spot: Int, previous: [SpotCaption]) -> StepPrompt {
        switch family {
        case .xcomposer: .xcomposer(Self.xcomposerCaption(sections: sections, spot: spot, previous: previous))
        case .instruct: .instruct(InstructPrompts.caption(sections: sections, spot: spot))
        }
    }

    /// Step 5: choose among the candidates for the image after section `target`. XComposer sees
    /// the images themselves (see `xcomposerSelection`); instruct models see `candidateCaptions`.
    public func selection(sections: [String], spots: [Int], target: Int, candidateCaptions: [String]) -> StepPrompt {
        switch family {
        case .xcomposer: .xcomposer(Self.xcomposerSelection(sections: sections, spots: spots, target: target))
        case .instruct: .instruct(InstructPrompts.selection(sections: sections, spot: target,
                                                           candidateCaptions: candidateCaptions))
        }
    }

    // MARK: - XComposer parameters

    /// XComposer's deterministic decoding: beam search or greedy, the penalty on generated ids only,
    /// eoh/eoa as stop ids.
    public static func xcomposerParameters(numBeams: Int, repetitionPenalty: Float, maxNewTokens: Int)
        -> GenerationParameters
    {
        GenerationParameters(
            maxNewTokens: maxNewTokens, temperature: 0, topK: 0, topP: 1, minP: 0,
            repetitionPenalty: repetitionPenalty, penaltyLastN: nil, penalizePrompt: false,
            numBeams: numBeams, lengthPenalty: 1.0, earlyStopping: .heuristic,
            stopTokens: xcomposerStopTokens)
    }

    // MARK: - XComposer prompts

    /// Step 1 (`generate_text`): UI defaults beam 5, repetition penalty 5.0, 1000 new tokens.
    public static func xcomposerArticle(title: String, numBeams: Int = 5, repetitionPenalty: Float = 5.0,
                                        maxNewTokens: Int = 1000) -> ComposerPrompt {
        let text = " <|User|>:根据给定标题写一个图文并茂，不重复的文章：\(title)\n" + endOfHuman + " <|Bot|>:"
        return ComposerPrompt(
            parts: [.text(text)], botPrefix: "",
            parameters: xcomposerParameters(numBeams: numBeams, repetitionPenalty: repetitionPenalty,
                                            maxNewTokens: maxNewTokens))
    }

    /// `idx_text_sections[i] = f'<Seg{i}> {line}\n'`.
    public static func numberedSections(_ sections: [String]) -> [String] {
        sections.enumerated().map { "<Seg\($0.offset)> \($0.element)\n" }
    }

    /// Step 2 (`generate_loc`): beam 5, 300 new tokens, no penalty. `imageCount` nil is the
    /// first generation's `''`; a number is clamped to 1…#sections (the UI slider's range).
    public static func xcomposerSpotting(sections: [String], imageCount: Int?) -> ComposerPrompt {
        let fullText = numberedSections(sections).joined()
        var count = ""
        if let imageCount { count = String(max(1, min(imageCount, max(sections.count, 1)))) }
        let text = " <|User|>:给定文章\"\(fullText)\" 根据上述文章，选择适合插入图像的\(count)行"
            + " \n\(endOfHuman) <|Bot|>:\(spottingBotPrefix)"
        return ComposerPrompt(
            parts: [.text(text)], botPrefix: spottingBotPrefix,
            parameters: xcomposerParameters(numBeams: 5, repetitionPenalty: 1.0, maxNewTokens: 300))
    }

    /// The `past` summary of earlier captions: `''` for none, otherwise
    /// `现在<Seg{p0}>后插入图像对应的标题是"{c0}"， …` with the final `'， '` replaced by `'。'`.
    public static func pastCaptions(_ previous: [SpotCaption]) -> String {
        guard !previous.isEmpty else { return "" }
        var past = "现在"
        for item in previous { past += "<Seg\(item.spot)>后插入图像对应的标题是\"\(item.caption)\"， " }
        return String(past.dropLast(2)) + "。"
    }

    /// Step 3 (`generate_cap`): greedy, repetition penalty 5.0, 100 new tokens. The context is
    /// the numbered sections up to one past the spot (`idx_text_sections[:po+2]`).
    public static func xcomposerCaption(sections: [String], spot: Int, previous: [SpotCaption]) -> ComposerPrompt {
        let numbered = numberedSections(sections)
        let end = max(0, min(numbered.count, spot + 2))
        let fullText = numbered[..<end].joined()
        let text = " <|User|>: 给定文章\"\(fullText)\" \(pastCaptions(previous))给出适合在<Seg\(spot)>后插入的图像对应的标题。"
            + " \n\(endOfHuman) <|Bot|>: \(captionBotPrefix)"
        return ComposerPrompt(
            parts: [.text(text)], botPrefix: captionBotPrefix,
            parameters: xcomposerParameters(numBeams: 1, repetitionPenalty: 5.0, maxNewTokens: 100))
    }

    /// Step 5 (`model_select_image`): beam 5, 10 new tokens, no penalty.
    ///
    /// `spots` are all the article's image spots (section indices); the context is the article
    /// up to and including section `target`, with the images already chosen for the earlier spots
    /// interleaved where they go. Image indices: `0..<k` are the chosen images of the `k` spots
    /// before `target` in line order, `k..<k+4` are the candidates A–D. The text is the
    /// original's after `align_text` (two spaces before `<|User|>`, eoh twice, eoa and `</s>`
    /// appended); `interleav_wrap` then truncates to 1680 embeddings, BOS is prepended and the
    /// last 2 embeddings (eoa, `</s>`) are dropped. `<ImageHere>`, `<Img>` and `</Img>` inside
    /// the sections are removed first so the image count stays right.
    public static func xcomposerSelection(sections: [String], spots: [Int], target: Int) -> ComposerPrompt {
        let clean = sections.map { section in
            section.replacingAll(imagePlaceholder, with: "").replacingAll("<Img>", with: "")
                .replacingAll("</Img>", with: "")
        }
        let spotSet = Set(spots).union([target])
        var preText = ""
        var preTextList: [String] = []
        for (index, line) in clean.enumerated() where index <= target {
            preText += line + "\n"
            if spotSet.contains(index) {
                preTextList.append(preText)
                preText = ""
            }
        }
        if preTextList.isEmpty { preTextList.append(preText) }  // target outside the article
        var input = " <|User|>:根据给定上下文和候选图像，选择合适的配图：" + preTextList.joined(separator: imagePlaceholder)
            + "\n\n候选图像包括: A.<ImageHere>\nB.<ImageHere>\nC.<ImageHere>\nD.<ImageHere>\n\n"
            + "\(endOfHuman) <|Bot|>:\(selectionBotPrefix)"
        input += endOfAssistant + " </s>"
        input = input.replacingAll("<|User|>", with: " <|User|>")
            .replacingAll("<|Bot|>", with: "\(endOfHuman) <|Bot|>")
        var parts: [PromptPart] = []
        for (index, piece) in input.pieces(separatedBy: imagePlaceholder).enumerated() {
            if index > 0 { parts.append(.image(index - 1)) }
            parts.append(.text(piece))
        }
        return ComposerPrompt(
            parts: parts, maxEmbeddings: selectionMaxEmbeddings, dropLastEmbeddings: 2,
            botPrefix: selectionBotPrefix,
            parameters: xcomposerParameters(numBeams: 5, repetitionPenalty: 1.0, maxNewTokens: 10))
    }
}

/// A caption already written for the image after section `spot`.
public struct SpotCaption: Sendable, Equatable {
    public var spot: Int
    public var caption: String

    public init(spot: Int, caption: String) {
        self.spot = spot
        self.caption = caption
    }
}
