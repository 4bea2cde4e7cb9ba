import AppCore
import Foundation
@testable import SessionStore
import Testing

@Suite struct JSONExportTests {
    /// Quotes, backslashes, every kind of line break, tabs, NUL and other control characters,
    /// emoji (with a ZWJ sequence and a flag), combining marks and CJK.
    static let awkward = "say \"hi\" \\ back\\slash\nnew line\r\ncrlf\ttab \u{0} nul \u{1} \u{1F} \u{7F} "
        + "🐈‍⬛ 🇫🇷 e\u{301} 猫 \u{2028}\u{2029} </script>"

    func parse(_ text: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        return try #require(object as? [String: Any])
    }

    @Test func documentParsesBackFieldByField() throws {
        var snapshot = sampleSnapshot()
        snapshot.title = Self.awkward
        snapshot.systemPrompt = nil
        snapshot.entries.append(TranscriptEntry(kind: .assistant, text: Self.awkward, completion: .streaming))
        let document = try parse(SessionExport.json(snapshot))
        #expect(document["format"] as? String == "xcomposer-session")
        #expect(document["version"] as? Int == 1)
        #expect(document["title"] as? String == Self.awkward)
        #expect(document["createdAt"] as? String == "2023-11-14T22:13:20Z")
        #expect(document["updatedAt"] as? String == "2023-11-14T22:15:00Z")
        #expect(document["model"] as? String == "SmolLM2-135M")
        #expect(document["systemPrompt"] is NSNull)
        let entries = try #require(document["entries"] as? [[String: Any]])
        #expect(entries.count == snapshot.entries.count)
        #expect(entries.map { $0["kind"] as? String } == [
            "user", "assistant", "notice", "user", "assistant", "error", "assistant", "assistant",
        ])
        #expect(entries.map { $0["completion"] as? String } == [
            "finished", "finished", "finished", "finished", "stopped", "failed", "failed", "stopped",
        ])
        #expect(entries.map { $0["text"] as? String } == snapshot.entries.map { Optional($0.text) })
        #expect(entries[5]["failureMessage"] as? String == "allocation of 3 GB failed")
        #expect(entries[6]["failureMessage"] as? String == "")
        #expect(entries[0]["failureMessage"] is NSNull)
        let images = try #require(entries[0]["images"] as? [[String: Any]])
        #expect(images.map { $0["path"] as? String } == ["/photos/été/猫 cat.png", "/photos/dog.jpg"])
        #expect(images.map { $0["width"] as? Int } == [640, 20])
        #expect(images.map { $0["height"] as? Int } == [480, 10])
        #expect((entries[1]["images"] as? [Any])?.isEmpty == true)
    }

    @Test func everyControlCharacterIsEscapedAndNonASCIIIsKept() throws {
        let all = String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init)))
        var out = ""
        JSONValue.writeString(all + "é猫🐈", to: &out)
        #expect(!out.unicodeScalars.contains { $0.value < 0x20 })
        #expect(out.hasSuffix("é猫🐈\""))
        #expect(out.hasPrefix("\"\\u0000\\u0001"))
        #expect(out.contains("\\b\\t\\n\\u000B\\f\\r"))
        let back = try JSONSerialization.jsonObject(with: Data(out.utf8), options: [.fragmentsAllowed])
        #expect(back as? String == all + "é猫🐈")
    }

    @Test func outputIsStable() {
        #expect(SessionExport.json(sampleSnapshot()) == SessionExport.json(sampleSnapshot()))
        let empty = SessionSnapshot(title: "t", createdAt: 0, updatedAt: 0, entries: [])
        #expect(SessionExport.json(empty) == """
            {
              "format": "xcomposer-session",
              "version": 1,
              "title": "t",
              "createdAt": "1970-01-01T00:00:00Z",
              "updatedAt": "1970-01-01T00:00:00Z",
              "model": null,
              "systemPrompt": null,
              "entries": []
            }

            """)
    }

    /// Foundation switches to the Julian calendar before 1582-10-15 (-12_219_292_800), ISO 8601
    /// does not, so the comparison starts there; earlier dates are checked by hand below.
    @Test func datesAgreeWithFoundationsISO8601Formatter() {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        let samples: [Double] = [
            0, -1, 59, 86_399, 86_400, 951_782_400, 951_868_799, 1_700_000_000.75, 4_102_444_800,
            -86_401, -2_208_988_800, -12_219_292_800, 253_402_300_799,
        ] + (0..<200).map { Double($0) * 15_778_463.37 - 1_000_000_000 }
        for seconds in samples {
            let reference = formatter.string(from: Date(timeIntervalSince1970: seconds.rounded(.down)))
            #expect(ISODate.string(fromUnixSeconds: seconds) == reference, "\(seconds)")
        }
    }

    @Test func impossibleDatesAreClampedNotCrashed() {
        #expect(ISODate.string(fromUnixSeconds: .nan) == "1970-01-01T00:00:00Z")
        #expect(ISODate.string(fromUnixSeconds: .infinity) == "1970-01-01T00:00:00Z")
        #expect(ISODate.string(fromUnixSeconds: 1e300) == "9999-12-31T23:59:59Z")
        #expect(ISODate.string(fromUnixSeconds: -1e300) == "0001-01-01T00:00:00Z")
        // 0001-01-01 is 719_162 days before 1970-01-01 in the proleptic Gregorian calendar.
        #expect(ISODate.string(fromUnixSeconds: -719_162 * 86_400) == "0001-01-01T00:00:00Z")
        #expect(ISODate.string(fromUnixSeconds: -719_162 * 86_400 + 59 * 86_400 + 1) == "0001-03-01T00:00:01Z")
    }
}
