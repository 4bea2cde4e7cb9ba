/// Byte-level BPE (`tokenizer.ggml.model = gpt2`), as llama.cpp's `llm_tokenizer_bpe_session`.
///
/// A word starts as one symbol per byte (the byte's GPT-2 character). The adjacent pair with
/// the lowest merge rank is merged, leftmost first among equal ranks, until no pair has a
/// merge. Each final symbol is emitted as its token; a symbol that is not in the vocabulary is
/// emitted byte by byte as single-character tokens where those exist and dropped where they do
/// not, which is what llama.cpp does.
///
/// Symbols are interned: every text that can occur (token texts, merge halves and results, the
/// 256 byte characters) gets an integer id, so the merge loop compares and looks up integers
/// and never builds strings. A token's symbol id is its token id; other texts get ids from the
/// vocabulary size up.
struct ByteLevelBPE: Sendable {
    private let index: VocabularyIndex
    let preTokenizer: PreTokenizer
    private let splitter: WordSplitter
    /// The symbol of each byte's character.
    private let byteSymbol: [Int32]
    /// Texts of the symbols that are not tokens, flat: symbol `count + i` is
    /// `extraText[extraStarts[i] ..< extraStarts[i + 1]]`.
    private let extraText: [UInt8]
    private let extraStarts: [Int]
    /// (left symbol << 32 | right symbol) → merge.
    private let merges: [UInt64: Merge]

    private struct Merge: Sendable {
        let rank: Int32
        let result: Int32
    }

    init(index: VocabularyIndex, preTokenizer: PreTokenizer) {
        self.index = index
        self.preTokenizer = preTokenizer
        self.splitter = WordSplitter(splitting: preTokenizer.splitting)

        var table = index.textToID
        var extraText: [UInt8] = []
        var extraStarts: [Int] = [0]
        let tokenCount = Int32(index.count)
        func intern(_ text: UnsafeBufferPointer<UInt8>) -> Int32 {
            if let known = table.value(for: text) { return known }
            let id = tokenCount + Int32(extraStarts.count - 1)
            table.insert(text, value: id)
            extraText.append(contentsOf: text)
            extraStarts.append(extraText.count)
            return id
        }
        byteSymbol = ByteLevelMapping.utf8ForByte.map { character in character.withUnsafeBufferPointer(intern) }

        var mergeTable: [UInt64: Merge] = [:]
        mergeTable.reserveCapacity(index.vocabulary.merges.count)
        var joined: [UInt8] = []
        for (rank, merge) in index.vocabulary.merges.enumerated() {
            var merge = merge
            merge.withUTF8 { bytes in
                // llama.cpp splits at the first space after the first byte.
                guard bytes.count > 2, let split = bytes[1...].firstIndex(of: 0x20), split + 1 < bytes.count else { return }
                let left = intern(UnsafeBufferPointer(rebasing: bytes[..<split]))
                let right = intern(UnsafeBufferPointer(rebasing: bytes[(split + 1)...]))
                let key = Self.key(left, right)
                guard mergeTable[key] == nil else { return }
                joined.removeAll(keepingCapacity: true)
                joined.append(contentsOf: bytes[..<split])
                joined.append(contentsOf: bytes[(split + 1)...])
                let result = joined.withUnsafeBufferPointer(intern)
                mergeTable[key] = Merge(rank: Int32(rank), result: result)
            }
        }
        self.extraText = extraText
        self.extraStarts = extraStarts
        self.merges = mergeTable
    }

    /// Reusable buffers for one `encode` call.
    struct Scratch {
        var split = WordSplitter.Scratch()
        var words: [Range<Int>] = []
        var symbol: [Int32] = []
        var previous: [Int32] = []
        var next: [Int32] = []
        var queue = MergeQueue<Bigram>()
        var encoded: [UInt8] = []
    }

    struct Bigram: Comparable {
        let rank: Int32
        let left: Int32
        let right: Int32
        let leftSymbol: Int32
        let rightSymbol: Int32

        static func < (a: Bigram, b: Bigram) -> Bool {
            a.rank != b.rank ? a.rank < b.rank : a.left < b.left
        }
        static func == (a: Bigram, b: Bigram) -> Bool { a.rank == b.rank && a.left == b.left }
    }

    /// Tokenizes the raw text `text[range]` (no special tokens inside) and appends the ids.
    func encode(_ text: UnsafeBufferPointer<UInt8>, range: Range<Int>, into output: inout [Int32],
                scratch: inout Scratch) {
        scratch.words.removeAll(keepingCapacity: true)
        splitter.split(text, range: range, into: &scratch.words, scratch: &scratch.split)
        for word in scratch.words {
            encodeWord(text, word, into: &output, scratch: &scratch)
        }
    }

    private func encodeWord(_ text: UnsafeBufferPointer<UInt8>, _ word: Range<Int>,
                            into output: inout [Int32], scratch s: inout Scratch) {
        if preTokenizer.ignoresMerges {
            s.encoded.removeAll(keepingCapacity: true)
            for position in word { s.encoded.append(contentsOf: ByteLevelMapping.utf8ForByte[Int(text[position])]) }
            if let token = s.encoded.withUnsafeBufferPointer({ index.id(of: $0) }) {
                output.append(token)
                return
            }
        }

        let count = word.count
        s.symbol.removeAll(keepingCapacity: true)
        s.previous.removeAll(keepingCapacity: true)
        s.next.removeAll(keepingCapacity: true)
        for (offset, position) in word.enumerated() {
            s.symbol.append(byteSymbol[Int(text[position])])
            s.previous.append(Int32(offset - 1))
            s.next.append(offset + 1 < count ? Int32(offset + 1) : -1)
        }
        s.queue.removeAll()
        for right in 1 ..< max(count, 1) { addBigram(Int32(right - 1), Int32(right), &s) }

        while let bigram = s.queue.pop() {
            let left = Int(bigram.left), right = Int(bigram.right)
            // Skip a pair that an earlier merge changed.
            guard s.symbol[left] == bigram.leftSymbol, s.symbol[right] == bigram.rightSymbol,
                  let merge = merges[Self.key(bigram.leftSymbol, bigram.rightSymbol)] else { continue }
            s.symbol[left] = merge.result
            s.symbol[right] = -1
            let after = s.next[right]
            s.next[left] = after
            if after >= 0 { s.previous[Int(after)] = bigram.left }
            addBigram(s.previous[left], bigram.left, &s)
            addBigram(bigram.left, after, &s)
        }

        var position: Int32 = count > 0 ? 0 : -1
        while position >= 0 {
            let symbol = s.symbol[Int(position)]
            if Int(symbol) < index.count {
                output.append(symbol)
            } else {
                // Not a token: each byte of its text, as a one-byte token when there is one.
                let extra = Int(symbol) - index.count
                for byte in extraText[extraStarts[extra] ..< extraStarts[extra + 1]] {
                    if let single = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1, { buffer in
                        buffer[0] = byte
                        return index.id(of: UnsafeBufferPointer(buffer))
                    }) {
                        output.append(single)
                    }
                }
            }
            position = s.next[Int(position)]
        }
    }

    @inline(__always)
    private static func key(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    @inline(__always)
    private func addBigram(_ left: Int32, _ right: Int32, _ s: inout Scratch) {
        guard left >= 0, right >= 0 else { return }
        let leftSymbol = s.symbol[Int(left)], rightSymbol = s.symbol[Int(right)]
        guard let merge = merges[Self.key(leftSymbol, rightSymbol)] else { return }
        s.queue.push(Bigram(rank: merge.rank, left: left, right: right,
                            leftSymbol: leftSymbol, rightSymbol: rightSymbol))
    }
}
