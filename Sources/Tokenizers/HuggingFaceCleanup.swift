/// Hugging Face's `clean_up_tokenization_spaces`, which its `decode` applies by default.
///
/// InternLM-XComposer's reference output passed through it, so a faithful port shows answers
/// the same way: `" ."` becomes `"."`, `" n't"` becomes `"n't"`, and so on. It works on whole
/// text (a streamed answer should be cleaned once it is complete, or per finished line).
public enum HuggingFaceCleanup {
    /// The replacements, applied one after another over the whole text, in this order.
    static let replacements: [(String, String)] = [
        (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"),
        (" n't", "n't"), (" 'm", "'m"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"),
    ]

    /// `text` with the spaces before punctuation and English contractions removed.
    public static func cleanUpTokenizationSpaces(_ text: String) -> String {
        var bytes = Array(text.utf8)
        for (target, replacement) in replacements {
            bytes = replaceAll(Array(target.utf8), with: Array(replacement.utf8), in: bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Python's `str.replace`: non-overlapping occurrences, left to right.
    private static func replaceAll(_ target: [UInt8], with replacement: [UInt8], in bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var position = 0
        while position < bytes.count {
            if position + target.count <= bytes.count && bytes[position ..< position + target.count].elementsEqual(target) {
                output.append(contentsOf: replacement)
                position += target.count
            } else {
                output.append(bytes[position])
                position += 1
            }
        }
        return output
    }
}
