import Engine

/// English chat prompts for small instruction-tuned models (SmolLM2 class).
///
/// Small models follow short, concrete instructions with an example of the answer's shape, so
/// every prompt states the exact format wanted. Paragraphs are numbered from 1 in the prompts;
/// the parsers turn the answers back into 0-based section indices.
public enum InstructPrompts {
    /// The system message shared by every step.
    public static let system = "You are a helpful writing assistant. Follow the format you are asked for exactly."

    /// Light sampling for prose: varied but on topic, with a mild repetition penalty.
    public static func articleParameters(paragraphCount: Int) -> GenerationParameters {
        GenerationParameters(maxNewTokens: max(128, min(2000, 90 * max(1, paragraphCount))), temperature: 0.7,
                             topK: 40, topP: 0.9, minP: 0.05, repetitionPenalty: 1.1, penaltyLastN: 256)
    }

    /// Greedy decoding with a little penalty, for short structured answers.
    public static func answerParameters(maxNewTokens: Int) -> GenerationParameters {
        GenerationParameters(maxNewTokens: maxNewTokens, temperature: 0, topK: 0, topP: 1, minP: 0,
                             repetitionPenalty: 1.05, penaltyLastN: 64)
    }

    /// The paragraphs numbered from 1, one per line: `1. text`.
    public static func numberedParagraphs(_ sections: [String]) -> String {
        sections.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n")
    }

    /// Step 1: `paragraphCount` short paragraphs, one per line, no headings.
    public static func article(title: String, paragraphCount: Int) -> InstructPrompt {
        let count = max(1, min(paragraphCount, ComposePrompts.maxSections))
        let user = "Write an article titled \"\(title)\". Write exactly \(count) short paragraphs about the title, "
            + "each paragraph on its own line. Do not write headings, numbers or lists. Write only the paragraphs."
        return InstructPrompt(messages: ChatMessages(system: system, user: user),
                              parameters: articleParameters(paragraphCount: count))
    }

    /// Step 2: which paragraphs get an image.
    public static func spotting(sections: [String], imageCount: Int?) -> InstructPrompt {
        let howMany: String
        if let imageCount {
            let count = max(1, min(imageCount, max(1, sections.count)))
            howMany = count == 1 ? "1 paragraph" : "\(count) paragraphs"
        } else {
            howMany = "the paragraphs"
        }
        let user = "Here is an article, one numbered paragraph per line:\n\n\(numberedParagraphs(sections))\n\n"
            + "Choose \(howMany) after which an image would fit best. Answer with the numbers only, e.g. 2, 5"
        return InstructPrompt(messages: ChatMessages(system: system, user: user),
                              parameters: answerParameters(maxNewTokens: 32))
    }

    /// Step 3: a caption for the image after paragraph `spot` (0-based), seeing the paragraphs up
    /// to one past the spot, as XComposer does.
    public static func caption(sections: [String], spot: Int) -> InstructPrompt {
        let end = max(0, min(sections.count, spot + 2))
        let context = numberedParagraphs(Array(sections[..<end]))
        let user = "Here is the start of an article, one numbered paragraph per line:\n\n\(context)\n\n"
            + "An image goes after paragraph \(spot + 1). Write a short caption describing what the image shows, "
            + "in one line of at most 15 words. Answer with the caption only."
        return InstructPrompt(messages: ChatMessages(system: system, user: user),
                              parameters: answerParameters(maxNewTokens: 40))
    }

    /// Step 5 (text only): pick among candidate images described by their library captions.
    public static func selection(sections: [String], spot: Int, candidateCaptions: [String]) -> InstructPrompt {
        let letters = ["A", "B", "C", "D"]
        let candidates = candidateCaptions.prefix(letters.count).enumerated()
            .map { "\(letters[$0.offset]). \($0.element)" }.joined(separator: "\n")
        let paragraph = sections.indices.contains(spot) ? sections[spot] : ""
        let user = "An image goes after this paragraph:\n\n\(paragraph)\n\n"
            + "Candidate images, described by their captions:\n\(candidates)\n\n"
            + "Which image fits the paragraph best? Answer with one letter only: A, B, C or D."
        return InstructPrompt(messages: ChatMessages(system: system, user: user),
                              parameters: answerParameters(maxNewTokens: 4))
    }
}

extension InstructPrompts {
    /// Rewrites one paragraph (0-based `index`) in the context of the whole article.
    public static func rewrite(title: String, sections: [String], index: Int) -> InstructPrompt {
        let number = index + 1
        let user = "Here is an article titled \"\(title)\", one numbered paragraph per line:\n\n"
            + "\(numberedParagraphs(sections))\n\n"
            + "Write a new version of paragraph \(number) that fits between the paragraphs around it. "
            + "Write one paragraph on one line, with no number and no heading. Write only the paragraph."
        return InstructPrompt(messages: ChatMessages(system: system, user: user),
                              parameters: articleParameters(paragraphCount: 1))
    }

    /// Writes one more paragraph after the last one (the editor's "continue").
    public static func continuation(title: String, sections: [String]) -> InstructPrompt {
        let user = "Here is the start of an article titled \"\(title)\", one numbered paragraph per line:\n\n"
            + "\(numberedParagraphs(sections))\n\n"
            + "Write the next paragraph, number \(sections.count + 1), on one line, with no number and no heading. "
            + "Write only the paragraph."
        return InstructPrompt(messages: ChatMessages(system: system, user: user),
                              parameters: articleParameters(paragraphCount: 1))
    }
}
