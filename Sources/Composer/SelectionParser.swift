/// Turns the selection step's answer into a candidate index (0 = A … 3 = D).
public enum SelectionParser {
    private static let letters: [Unicode.Scalar] = ["A", "B", "C", "D"]

    /// The web demo: `ans = out[1] if out[0]==' ' else out[0]`, mapped A–D; any failure → A.
    public static func xcomposer(_ answer: String, candidateCount: Int = ComposePrompts.candidateCount) -> ParsedAnswer<Int> {
        let scalars = Array(answer.unicodeScalars)
        let letter: Unicode.Scalar? = scalars.first == " " ? (scalars.count > 1 ? scalars[1] : nil) : scalars.first
        if let letter, let index = letters.firstIndex(of: letter), index < max(1, candidateCount) {
            return ParsedAnswer(value: index)
        }
        return ParsedAnswer(value: 0, fallback: "the answer named no candidate A–D: chose A")
    }

    /// Instruct models: the first standalone letter A–D, else the first standalone number
    /// 1…candidateCount, else A.
    public static func instruct(_ answer: String, candidateCount: Int = ComposePrompts.candidateCount) -> ParsedAnswer<Int> {
        let scalars = Array(answer.unicodeScalars)
        let limit = max(1, min(candidateCount, letters.count))
        func standalone(_ index: Int) -> Bool {
            let before = index > 0 ? scalars[index - 1] : nil
            let after = index + 1 < scalars.count ? scalars[index + 1] : nil
            let glued: (Unicode.Scalar?) -> Bool = { $0.map { $0.isASCIILetter || $0.isASCIIDigit } ?? false }
            return !glued(before) && !glued(after)
        }
        for (index, scalar) in scalars.enumerated() {
            if let letter = letters.firstIndex(of: scalar), letter < limit, standalone(index) {
                return ParsedAnswer(value: letter)
            }
        }
        for number in SpotParser.integerRuns(in: answer, standaloneOnly: true) {
            if let number, number >= 1, number <= limit { return ParsedAnswer(value: number - 1) }
        }
        return ParsedAnswer(value: 0, fallback: "the answer named no candidate: chose A")
    }
}
