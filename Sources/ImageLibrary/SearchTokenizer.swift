/// A simple English tokenizer for caption retrieval: lower-case, split on anything that is
/// not a letter or digit, drop stop words (and single letters, e.g. the "s" of "cat's"),
/// strip a plural "s" ("cups" → "cup", but not "glass" or "bus").
public enum SearchTokenizer {
    /// Words too common to say anything about a picture.
    public static let stopWords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "into",
        "is", "it", "its", "of", "on", "or", "that", "the", "their", "there", "this", "to", "was",
        "were", "with",
    ]

    public static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var word = ""
        func finish() {
            defer { word = "" }
            guard word.count > 1, !stopWords.contains(word) else { return }
            tokens.append(stem(word))
        }
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                word.append(character)
            } else {
                finish()
            }
        }
        finish()
        return tokens
    }

    /// "cups" → "cup"; words of three letters or fewer, and those ending "ss", "us" or "is", kept.
    static func stem(_ word: String) -> String {
        guard word.count > 3, word.hasSuffix("s"), !word.hasSuffix("ss"), !word.hasSuffix("us"),
              !word.hasSuffix("is") else { return word }
        return String(word.dropLast())
    }
}
