import Testing
@testable import Tokenizers

/// Direct checks of the pre-tokenizer regexes on cases whose answer follows from the regex
/// text (the differential tests cover them at scale).
@Suite("Pre-tokenizer word splitting")
struct WordSplitterTests {
    private func words(_ text: String, _ splitting: PreTokenizer.Splitting) -> [String] {
        let bytes = Array(text.utf8)
        var ranges: [Range<Int>] = []
        var scratch = WordSplitter.Scratch()
        bytes.withUnsafeBufferPointer { buffer in
            WordSplitter(splitting: splitting).split(buffer, range: 0 ..< bytes.count, into: &ranges, scratch: &scratch)
        }
        return ranges.map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    @Test("GPT-2")
    func gpt2() {
        #expect(words("Hello  world's 123abc!!", .gpt2) == ["Hello", " ", " world", "'s", " 123", "abc", "!!"])
        #expect(words("a \n\n b  ", .gpt2) == ["a", " \n\n", " b", "  "])
        #expect(words("I'M", .gpt2) == ["I", "'", "M"])
    }

    @Test("Llama 3")
    func llama3() {
        #expect(words("I'M 1234567 x", .llama3) == ["I", "'M", " ", "123", "456", "7", " x"])
        #expect(words("hi!!\n\nthere", .llama3) == ["hi", "!!\n\n", "there"])
        #expect(words("a  \n  b", .llama3) == ["a", "  \n", " ", " b"])
    }

    @Test("SmolLM: digits alone, then GPT-2")
    func smollm() {
        #expect(words("abc 123", .smollm) == ["abc", " ", "1", "2", "3"])
    }

    @Test("llama.cpp's default: punctuation runs, GPT-2, number runs, ASCII digit triples")
    func defaultSplitting() {
        #expect(words("x:=1234567;", .default) == ["x", ":=", "123", "456", "7", ";"])
    }

    @Test("empty text gives no words")
    func empty() {
        for splitting in [PreTokenizer.Splitting.gpt2, .llama3, .smollm, .default] { #expect(words("", splitting).isEmpty) }
    }
}
