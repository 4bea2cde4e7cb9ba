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
/// and never builds strings.
struct ByteLevelBPE: Sendable {
    private let index: VocabularyIndex
    let preTokenizer: PreTokenizer
    private let splitter: WordSplitter
    /// Symbol text (GPT-2 characters, UTF-8) → symbol id.
    private let symbols: ByteStringTable
    /// Token id for each symbol id, or -1 for a text that is not a token.
    private let symbolToken: [Int32]
    /// The symbol of each byte's character.
    private let byteSymbol: [Int32]
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

        let merges = index.vocabulary.merges
        var table = ByteStringTable(minimumCapacity: index.count + merges.count + 256)
        var symbolToken: [Int32] = []
        func intern<C: Collection<UInt8>>(_ text: C) -> Int32 {
            let id = table.insert(text, value: Int32(symbolToken.count))
            if Int(id) == symbolToken.count {
                symbolToken.append(-1)
            }
            return id
        }
        for id in 0 ..< index.count {
            let symbol = intern(index.text(of: id))
            if symbolToken[Int(symbol)] < 0 { symbolToken[Int(symbol)] = Int32(id) }
        }
        byteSymbol = ByteLevelMapping.utf8ForByte.map { intern($0) }

        var mergeTable: [UInt64: Merge] = [:]
        mergeTable.reserveCapacity(merges.count)
        for (rank, merge) in merges.enumerated() {
            let bytes = Array(merge.utf8)
            // llama.cpp splits at the first space after the first byte.
            guard bytes.count > 1, let split = bytes[1...].firstIndex(of: 0x20) else { continue }
            let left = bytes[..<split], right = bytes[(split + 1)...]
            guard !right.isEmpty else { continue }
            let key = UInt64(UInt32(intern(left))) << 32 | UInt64(UInt32(intern(right)))
            if mergeTable[key] == nil {
                mergeTable[key] = Merge(rank: Int32(rank), result: intern(left + right))
            }
        }
        self.symbols = table
        self.symbolToken = symbolToken
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
            let token = symbolToken[Int(symbol)]
            if token >= 0 {
                output.append(token)
            } else {
                // Not a token: each byte of its text, as a one-byte token when there is one.
                for byte in symbols.keyBytes(ofEntry: Int(symbol)) {
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
