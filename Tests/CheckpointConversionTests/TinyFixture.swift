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

/// A little-endian float `.npy` array (format 1.0-3.0, C order, `<f4` or `<f8`), read as floats.
struct NpyArray {
    let shape: [Int]
    let values: [Double]

    enum Problem: Error { case malformed(String) }

    init(contentsOf url: URL) throws {
        let bytes = [UInt8](try Data(contentsOf: url))
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
            throw Problem.malformed("\(url.lastPathComponent): not a .npy file")
        }
        let major = bytes[6]
        let headerLength: Int, headerStart: Int
        if major == 1 {
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        } else {
            headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
            headerStart = 12
        }
        let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        func field(_ key: String) throws -> Substring {
            guard let range = header.range(of: "'\(key)':") else { throw Problem.malformed("no \(key) in \(header)") }
            return header[range.upperBound...].drop { $0 == " " }
        }
        let descriptor = try field("descr").dropFirst().prefix { $0 != "'" }
        guard try field("fortran_order").hasPrefix("False") else { throw Problem.malformed("Fortran order") }
        let shapeText = try field("shape").dropFirst().prefix { $0 != ")" }
        shape = shapeText.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let count = shape.reduce(1, *)
        let data = Array(bytes[(headerStart + headerLength)...])
        switch descriptor {
        case "<f4":
            guard data.count == 4 * count else { throw Problem.malformed("\(data.count) bytes for \(count) f4") }
            values = (0..<count).map { index in
                Double(Float(bitPattern: (0..<4).reduce(UInt32(0)) { $0 | UInt32(data[4 * index + $1]) << (8 * $1) }))
            }
        case "<f8":
            guard data.count == 8 * count else { throw Problem.malformed("\(data.count) bytes for \(count) f8") }
            values = (0..<count).map { index in
                Double(bitPattern: (0..<8).reduce(UInt64(0)) { $0 | UInt64(data[8 * index + $1]) << (8 * $1) })
            }
        default:
            throw Problem.malformed("dtype \(descriptor)")
        }
    }
}

/// Largest absolute difference relative to the largest reference magnitude.
func relativeError(_ ours: some Collection<Float>, _ reference: [Double]) -> Double {
    let scale = max(reference.map(abs).max() ?? 1, 1e-30)
    return zip(ours, reference).map { abs(Double($0) - $1) }.max()! / scale
}
