import Foundation
import Testing

/// The tiny InternLM-XComposer checkpoint in the exact Hugging Face layout
/// (Tests/SharedFixtures/xcomposer-tiny, written by scripts/make_xcomposer_tiny.py) and its
/// NumPy reference outputs (scripts/xcomposer_reference.py).
enum TinyFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SharedFixtures/xcomposer-tiny")
    static var binCheckpoint: String { root.appendingPathComponent("checkpoint-bin").path }
    static var safetensorsCheckpoint: String { root.appendingPathComponent("checkpoint-safetensors").path }
    static func reference(_ name: String) -> URL { root.appendingPathComponent("reference/\(name)") }

    /// `reference/text_prompt.json`: a text-only prompt in segments, its first-step logits'
    /// top five and a 32-token greedy answer.
    struct TextPrompt: Decodable {
        struct Segment: Decodable {
            let text: String
            let bos: Bool
            let ids: [Int32]
        }
        struct Greedy: Decodable {
            let ids: [Int32]
        }
        let segments: [Segment]
        let greedy: Greedy

        var ids: [Int32] { segments.flatMap(\.ids) }
    }

    static func textPrompt() throws -> TextPrompt {
        try JSONDecoder().decode(TextPrompt.self, from: Data(contentsOf: reference("text_prompt.json")))
    }
}
