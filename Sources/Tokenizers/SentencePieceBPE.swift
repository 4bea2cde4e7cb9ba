/// SentencePiece BPE (`tokenizer.ggml.model = llama`), as llama.cpp's `llm_tokenizer_spm`.
///
/// Spaces become `▁` and the text starts as one symbol per UTF-8 character. The adjacent pair
/// whose concatenation is a token with the highest score is merged (leftmost first among equal
/// scores), until no concatenation is a token. Scores are not in id order in real models
/// (InternLM), so merging by id would be wrong. A final symbol that is not a token (a
/// character missing from the vocabulary) is emitted as its bytes' `<0xXX>` tokens. (llama.cpp
/// also keeps a map from merged texts back to their halves for such symbols, but a symbol that
/// is not a token was never merged, so that path cannot be taken and is left out.)
struct SentencePieceBPE: Sendable {
    private let index: VocabularyIndex
    /// The token for each byte (`<0xXX>`, else the one-character token, else unknown), or -1.
    private let byteTokens: [Int32]

    init(index: VocabularyIndex) {
        self.index = index
        let hex = Array("0123456789ABCDEF".utf8)
        byteTokens = (0 ..< 256).map { byte in
            let name: [UInt8] = [0x3C, 0x30, 0x78, hex[byte >> 4], hex[byte & 15], 0x3E]  // <0xXX>
            if let id = index.textToID.value(for: name) { return id }
            if byte < 0x80, let id = index.textToID.value(for: [UInt8(byte)]) { return id }
            // llama.cpp fails here; the unknown token is the closest thing that cannot crash.
            return index.vocabulary.unknownToken ?? -1
        }
    }

    struct Scratch {
        var text: [UInt8] = []
        var start: [Int] = []
        var length: [Int] = []
        var previous: [Int] = []
        var next: [Int] = []
        var queue = MergeQueue<Bigram>()
    }

    struct Bigram: Comparable {
        let score: Float
        let left: Int
        let right: Int
        let size: Int

        /// Higher score first, then the leftmost.
        static func < (a: Bigram, b: Bigram) -> Bool {
            a.score != b.score ? a.score > b.score : a.left < b.left
        }
        static func == (a: Bigram, b: Bigram) -> Bool { a.score == b.score && a.left == b.left }
    }

    private static let escapedSpace: [UInt8] = [0xE2, 0x96, 0x81]  // ▁

    /// Tokenizes `text[range]`, with a leading space first when `prefixSpace`, and appends
    /// the ids.
    func encode(_ source: UnsafeBufferPointer<UInt8>, range: Range<Int>, prefixSpace: Bool,
                into output: inout [Int32], scratch s: inout Scratch) {
        s.text.removeAll(keepingCapacity: true)
        if prefixSpace { s.text.append(contentsOf: Self.escapedSpace) }
        for position in range {
            let byte = source[position]
            if byte == 0x20 { s.text.append(contentsOf: Self.escapedSpace) } else { s.text.append(byte) }
        }
        guard !s.text.isEmpty else { return }

        s.start.removeAll(keepingCapacity: true)
        s.length.removeAll(keepingCapacity: true)
        s.previous.removeAll(keepingCapacity: true)
        s.next.removeAll(keepingCapacity: true)
        var offset = 0
        let total = s.text.count
        while offset < total {
            let length = min(UTF8Scanner.sequenceLength(lead: s.text[offset]), total - offset)
            s.previous.append(s.start.count - 1)
            s.start.append(offset)
            s.length.append(length)
            offset += length
            s.next.append(offset == total ? -1 : s.start.count)
        }

        let characters = s.text  // shares storage; `s` stays free for the merge state
        characters.withUnsafeBufferPointer { text in
            s.queue.removeAll()
            for right in 1 ..< max(s.start.count, 1) { addBigram(right - 1, right, text, &s) }

            while let bigram = s.queue.pop() {
                let left = bigram.left, right = bigram.right
                guard s.length[left] > 0, s.length[right] > 0,
                      s.length[left] + s.length[right] == bigram.size else { continue }
                s.length[left] += s.length[right]
                s.length[right] = 0
                let after = s.next[right]
                s.next[left] = after
                if after >= 0 { s.previous[after] = left }
                addBigram(s.previous[left], left, text, &s)
                addBigram(left, after, text, &s)
            }

            var symbol = 0
            while symbol >= 0 {
                let start = s.start[symbol]
                let piece = UnsafeBufferPointer(rebasing: text[start ..< start + s.length[symbol]])
                if let token = index.id(of: piece) {
                    output.append(token)
                } else {
                    for byte in piece where byteTokens[Int(byte)] >= 0 {
                        output.append(byteTokens[Int(byte)])
                    }
                }
                symbol = s.next[symbol]
            }
        }
    }

    @inline(__always)
    private func addBigram(_ left: Int, _ right: Int, _ text: UnsafeBufferPointer<UInt8>, _ s: inout Scratch) {
        guard left >= 0, right >= 0 else { return }
        let start = s.start[left]
        let size = s.length[left] + s.length[right]
        guard let token = index.id(of: UnsafeBufferPointer(rebasing: text[start ..< start + size])) else { return }
        s.queue.push(Bigram(score: index.vocabulary.score(of: Int(token)), left: left, right: right, size: size))
    }
}
