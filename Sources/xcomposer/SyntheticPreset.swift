import LanguageModels
import VisionModels

/// The model sizes `bench --synthetic NAME` can build: XComposer-7B itself, and a hidden tiny one
/// with the same structure that the tests run in a second.
struct SyntheticPreset {
    let name: String
    let vision: VisionConfiguration
    let language: LlamaConfiguration

    /// Names shown in errors (the tiny preset is for tests and stays unlisted).
    static let publicNames = ["xcomposer-7b"]

    static func named(_ name: String) -> SyntheticPreset? {
        switch name {
        case "xcomposer-7b":
            return SyntheticPreset(name: name, vision: .xcomposerV1, language: .internLM7B)
        case "xcomposer-tiny":
            return SyntheticPreset(name: name, vision: tinyVision, language: tinyLanguage)
        default:
            return nil
        }
    }

    /// Two blocks of everything, widths that are whole q4_k blocks (256) on the language side.
    private static let tinyLanguage = LlamaConfiguration(
        architecture: "internlm", layerCount: 2, embeddingLength: 256, feedForwardLength: 512,
        headCount: 4, vocabularySize: 512)

    private static let tinyVision: VisionConfiguration = {
        var c = VisionConfiguration.xcomposerV1
        c.imageSize = 28
        c.visionWidth = 64
        c.visionBlockCount = 2
        c.visionHeadCount = 4
        c.visionFeedForwardLength = 128
        c.qformerWidth = 64
        c.qformerBlockCount = 2
        c.qformerHeadCount = 4
        c.qformerFeedForwardLength = 128
        c.encoderWidth = 64
        c.queryCount = 4
        c.languageWidth = 256
        return c
    }()
}
