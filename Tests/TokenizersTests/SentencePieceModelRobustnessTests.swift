import Testing
import Tokenizers

/// The protobuf reader on truncated, corrupted and hand-made adversarial inputs: every failure
/// is one line naming the file (and, for damage, the byte offset), and nothing crashes.
@Suite("SentencePiece model file: bad input")
struct SentencePieceModelRobustnessTests {
    private typealias Writer = SentencePieceModelProtoWriter

    private func failure(_ bytes: [UInt8], name: String = "bad.model") -> SentencePieceModelError? {
        do {
            _ = try SentencePieceModelFile.parse(bytes, name: name)
            return nil
        } catch {
            return error
        }
    }

    private func expectMalformed(_ bytes: [UInt8], offset: Int, containing text: String,
                                 sourceLocation: SourceLocation = #_sourceLocation) {
        guard let error = failure(bytes) else {
            Issue.record("parsed without an error", sourceLocation: sourceLocation)
            return
        }
        guard case .malformed(let name, let at, let problem) = error else {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
            return
        }
        #expect(name == "bad.model", sourceLocation: sourceLocation)
        #expect(at == offset, "\(error)", sourceLocation: sourceLocation)
        #expect(problem.contains(text), "\(error)", sourceLocation: sourceLocation)
        expectOneLine(error, sourceLocation: sourceLocation)
    }

    private func expectOneLine(_ error: SentencePieceModelError, name: String = "bad.model",
                               sourceLocation: SourceLocation = #_sourceLocation) {
        let text = error.description
        #expect(text.hasPrefix(name + ": "), "\(text)", sourceLocation: sourceLocation)
        #expect(!text.contains("\n") && !text.contains("\r"), "\(text)", sourceLocation: sourceLocation)
    }

    /// Cutting the fixture anywhere either fails with a one-line error or, where the cut falls
    /// between two whole fields, reads a prefix of the pieces; most cuts fall inside a field.
    @Test func everyTruncationOfTheFixture() throws {
        let whole = SentencePieceModelFixture.modelBytes
        let full = try SentencePieceModelFile.parse(whole, name: "t.model")
        var failures = 0
        for length in 0 ..< whole.count {
            do {
                let model = try SentencePieceModelFile.parse(Array(whole.prefix(length)), name: "t.model")
                #expect(Array(full.pieces.prefix(model.pieces.count)) == model.pieces)
            } catch {
                failures += 1
                expectOneLine(error, name: "t.model")
                guard case .malformed(_, let offset, _) = error else {
                    Issue.record("unexpected error \(error)")
                    continue
                }
                #expect(offset >= 0 && offset <= length)
            }
        }
        // 800 pieces and two specs: only those boundaries parse.
        #expect(whole.count - failures <= full.pieces.count + 3)
        #expect(failures > whole.count * 3 / 4)
    }

    /// A cut inside a piece names the piece's length prefix (byte 1, after the tag at 0).
    @Test func truncatedPiece() {
        let whole = SentencePieceModelFixture.modelBytes
        #expect(whole[0] == 0x0A)  // field 1, length-delimited
        expectMalformed(Array(whole.prefix(3)), offset: 1, containing: "runs past the end")
        expectMalformed([0x0A], offset: 1, containing: "varint cut off")
    }

    /// Random byte changes never crash the reader or the tokenizer built from what it reads.
    @Test func randomCorruption() {
        let whole = SentencePieceModelFixture.modelBytes
        var random = SplitMix64(seed: 2024)
        var parsed = 0, tokenizers = 0
        for _ in 0 ..< 300 {
            var bytes = whole
            for _ in 0 ..< 1 + Int(random.next() % 4) {
                let position = Int(random.next() % UInt64(bytes.count))
                bytes[position] = UInt8(truncatingIfNeeded: random.next())
            }
            do {
                let model = try SentencePieceModelFile.parse(bytes, name: "c.model")
                parsed += 1
                if let tokenizer = try? model.makeTokenizer() {
                    tokenizers += 1
                    let ids = tokenizer.encode(" <|User|>:你好 123 😀<TOKENS_UNUSED_0>", addSpecial: true, parseSpecial: true)
                    for id in ids { _ = tokenizer.bytes(for: id, renderSpecial: true) }
                }
            } catch {
                expectOneLine(error, name: "c.model")
            }
        }
        #expect(parsed > 0 && tokenizers > 0)  // some damage lands in scores and survives
    }

    @Test func overlongVarints() {
        // An unknown field 15 (tag 0x78) whose value has eleven bytes: longer than any
        // 64-bit varint.
        expectMalformed([0x78] + [UInt8](repeating: 0x80, count: 10) + [0x01], offset: 1, containing: "longer than 64 bits")
        // Ten bytes whose last carries more than the top bit.
        expectMalformed([0x78] + [UInt8](repeating: 0xFF, count: 9) + [0x02], offset: 1, containing: "longer than 64 bits")
        // Ten bytes ending in 0x01 are the largest legal varint (as -1 is stored): accepted.
        var writer = Writer()
        writer.message(2) { $0.int32(41, -1) }
        #expect(writer.bytes.count == 14)  // 0x12, length, two-byte tag, ten-byte value
        #expect(failure(writer.bytes) == nil)
        // A tag that never ends.
        expectMalformed([0xFF, 0xFF], offset: 0, containing: "varint cut off")
    }

    @Test func absurdLengths() {
        // pieces with a length of 2^40 bytes.
        expectMalformed([0x0A] + Writer.varint(1 << 40), offset: 1, containing: "length 1099511627776 runs past")
        // The largest varint as a length.
        expectMalformed([0x0A] + Writer.varint(UInt64.max), offset: 1, containing: "runs past the end")
        // A piece whose inner string claims more than the piece holds.
        expectMalformed([0x0A, 0x03, 0x0A, 0x05, 0x61], offset: 3, containing: "length 5 runs past the end of the data (1 bytes left)")
    }

    @Test func wrongWireTypes() {
        // pieces (field 1) as a varint.
        expectMalformed([0x08, 0x01], offset: 0, containing: "ModelProto.pieces has wire type varint, expected length-delimited")
        // A piece's score as a varint.
        var writer = Writer()
        writer.message(1) { $0.string(1, "a"); $0.varint(2, 3) }
        expectMalformed(writer.bytes, offset: 5, containing: "SentencePiece.score has wire type varint, expected fixed32")
        // trainer_spec.byte_fallback as a string.
        writer = Writer()
        writer.message(2) { $0.string(35, "yes") }
        expectMalformed(writer.bytes, offset: 2, containing: "TrainerSpec.byte_fallback has wire type")
        // normalizer_spec.name as a fixed32.
        writer = Writer()
        writer.message(3) { $0.float(1, 1) }
        expectMalformed(writer.bytes, offset: 2, containing: "NormalizerSpec.name has wire type fixed32")
    }

    @Test func invalidTags() {
        expectMalformed([0x00], offset: 0, containing: "field number 0")
        expectMalformed([0x0E], offset: 0, containing: "undefined wire type 6")
        expectMalformed([0x0F], offset: 0, containing: "undefined wire type 7")
        expectMalformed([0x0B, 0x0C], offset: 0, containing: "group")
        expectMalformed([0x0C], offset: 0, containing: "group")
        expectMalformed(Writer.varint(UInt64(1 << 29) << 3), offset: 0, containing: "field number 536870912")
    }

    @Test func truncatedFixedValues() {
        expectMalformed([0x0A, 0x03, 0x15, 0x00, 0x00], offset: 3, containing: "fixed32 value cut off")
        // Unknown field 15 as fixed64 (tag 0x79) and fixed32 (tag 0x7D), cut off.
        expectMalformed([0x79, 1, 2, 3], offset: 1, containing: "fixed64 value cut off")
        expectMalformed([0x7D, 1, 2], offset: 1, containing: "fixed32 value cut off")
    }

    @Test func invalidUTF8() {
        var writer = Writer()
        writer.message(1) { $0.bytes(1, [0x61, 0xFF, 0x62]) }
        expectMalformed(writer.bytes, offset: 3, containing: "not valid UTF-8")
        writer = Writer()
        writer.message(1) { $0.bytes(1, [0xE4, 0xBD]) }  // a cut-off 3-byte sequence
        expectMalformed(writer.bytes, offset: 3, containing: "not valid UTF-8")
    }

    /// Well-formed files that cannot become a tokenizer say why in one line.
    @Test func unusableModels() throws {
        let basic: [(String, Float, Int32)] = [("<unk>", 0, 2), ("<s>", 0, 3), ("</s>", 0, 3), ("a", 0, 1)]
        func conversionError(_ bytes: [UInt8]) throws -> SentencePieceModelError? {
            let model = try SentencePieceModelFile.parse(bytes, name: "bad.model")
            do {
                _ = try model.makeTokenizer()
                return nil
            } catch {
                return error
            }
        }
        let unigram = try conversionError(Writer.model(pieces: basic, modelType: 1))
        #expect(unigram == .unsupportedModelType(name: "bad.model", modelType: 1))
        #expect(unigram?.description == "bad.model: only BPE SentencePiece models are supported (this one is unigram)")
        let unknownType = try conversionError(Writer.model(pieces: basic, modelType: 9))
        #expect(unknownType?.description == "bad.model: only BPE SentencePiece models are supported (this one is unknown type 9)")

        let empty = try conversionError(Writer.model(pieces: basic + [("", 0, 1)]))
        #expect(empty == .badPiece(name: "bad.model", index: 4, problem: "the piece is empty"))
        let repeated = try conversionError(Writer.model(pieces: basic + [("x\ny", 0, 1), ("x\ny", 0, 1)]))
        #expect(repeated?.description == #"bad.model: piece 5: "x\ny" repeats piece 4"#)

        let unk = try conversionError(Writer.model(pieces: basic, extraTrainer: { $0.int32(40, 4) }))
        #expect(unk?.description == "bad.model: trainer_spec.unk_id 4 is outside the 4 pieces")
        let pad = try conversionError(Writer.model(pieces: basic, extraTrainer: { $0.int32(43, -7) }))
        #expect(pad == .specialIDOutOfRange(name: "bad.model", field: "pad_id", id: -7, pieceCount: 4))

        for error in [unigram, unknownType, empty, repeated, unk, pad] {
            if let error { expectOneLine(error) } else { Issue.record("no error") }
        }
    }

    /// Settings the tokenizer does not reproduce become warnings, not silent differences.
    @Test func unsupportedSettingsWarn() throws {
        var writer = Writer()
        writer.message(1) { $0.string(1, "<unk>"); $0.int32(3, 2) }
        writer.message(1) { $0.string(1, "a") }
        writer.message(2) { $0.int32(3, 2); $0.bool(24, true); $0.int32(41, -1); $0.int32(42, -1) }
        writer.message(3) { $0.string(1, "nmt_nfkc"); $0.bytes(2, [1, 2, 3]) }
        let vocabulary = try SentencePieceModelFile.parse(writer.bytes, name: "w.model").makeVocabulary()
        let warnings = vocabulary.warnings
        #expect(warnings.count == 4)  // charsmap, extra whitespace, suffix, no byte fallback
        #expect(warnings.contains { $0.contains("'nmt_nfkc' is not applied") })
        #expect(warnings.contains { $0.contains("remove_extra_whitespaces") })
        #expect(warnings.contains { $0.contains("treat_whitespace_as_suffix") })
        #expect(warnings.contains { $0.contains("byte_fallback is off") })
        #expect(warnings.allSatisfy { $0.hasPrefix("w.model: ") && !$0.contains("\n") })
    }

    @Test func unreadableFiles() {
        func openError(_ path: String) -> SentencePieceModelError? {
            do {
                _ = try SentencePieceModelFile(contentsOf: path)
                return nil
            } catch {
                return error
            }
        }
        let missing = openError("/nonexistent/tokenizer.model")
        #expect(missing == .unreadable(name: "/nonexistent/tokenizer.model", reason: "No such file or directory"))
        let directory = openError("/tmp")
        #expect(directory?.description == "/tmp: it is a directory")
    }
}
