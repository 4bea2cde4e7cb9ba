import Composer
import LanguageModels
import Tokenizers
import VisionModels

/// Turns a pipeline step's `ComposerPrompt` into what the decoder takes: token ids and image
/// vectors, tokenised the way the web demo does it (spec §3, §5).
///
/// Every text part is tokenised on its own without BOS (so BPE never merges across an image),
/// with Hugging Face's handling of `<s>`/`</s>` (`' </s>'` is the EOS id alone); the images'
/// 66 vectors go between them; the whole is cut to `maxEmbeddings` positions; one BOS goes in
/// front; and `dropLastEmbeddings` positions come off the end. For steps 1–3 (one text part,
/// no limit, nothing dropped) that equals `tok(text, add_special_tokens=True)`; for step 5 it
/// is `interleav_wrap` followed by the BOS and the `[:-2]` of `model_select_image`.
enum XComposerStepParts {
    enum Failure: Error, CustomStringConvertible {
        case imageCount(prompt: Int, given: Int)
        case noBOS

        var description: String {
            switch self {
            case let .imageCount(prompt, given):
                "internal: the prompt places \(prompt) images but \(given) were encoded"
            case .noBOS:
                "the model's tokenizer has no BOS token, which XComposer prompts start with"
            }
        }
    }

    static func parts(_ prompt: ComposerPrompt, images: [ImageEmbedding],
                      tokenizer: any TextTokenizer) throws(Failure) -> [LanguageModels.PromptPart] {
        // The builders number images in order of appearance; map them so any order works.
        var ordered: [ImageEmbedding] = []
        for case let .image(index) in prompt.parts {
            guard images.indices.contains(index) else { throw .imageCount(prompt: prompt.imageCount, given: images.count) }
            ordered.append(images[index])
        }
        guard tokenizer.bosToken != nil || !prompt.startsWithBOS else { throw .noBOS }
        var parts: [LanguageModels.PromptPart]
        do {
            parts = try XComposerInterleavedPrompt.parts(text: prompt.text, images: ordered, tokenizer: tokenizer,
                                                         maximumLength: prompt.maxEmbeddings ?? Int.max)
        } catch {
            throw .imageCount(prompt: prompt.imageCount, given: ordered.count)
        }
        if !prompt.startsWithBOS, let bos = tokenizer.bosToken, parts.first == .tokens([bos]) {
            parts.removeFirst()
        }
        return dropLast(prompt.dropLastEmbeddings, of: parts)
    }

    /// `parts` without their last `count` positions (an image block may be cut).
    static func dropLast(_ count: Int, of parts: [LanguageModels.PromptPart]) -> [LanguageModels.PromptPart] {
        var parts = parts
        var remaining = count
        while remaining > 0, let last = parts.popLast() {
            let keep = last.count - remaining
            remaining -= min(remaining, last.count)
            guard keep > 0 else { continue }
            switch last {
            case let .tokens(ids):
                parts.append(.tokens(Array(ids.prefix(keep))))
            case let .embeddings(values, rows):
                parts.append(.embeddings(values: Array(values.prefix(keep * (values.count / rows))), count: keep))
            }
        }
        return parts
    }
}
