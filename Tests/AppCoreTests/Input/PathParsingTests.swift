import AppCore
import Testing

@Suite struct PathParsingTests {
    static let home = "/home/ann"

    @Test(arguments: [
        ("/a/cat.png", "/a/cat.png"),
        ("  /a/cat.png \n", "/a/cat.png"),
        ("'/a/my cat.png'", "/a/my cat.png"),
        ("\"/a/my cat.png\"", "/a/my cat.png"),
        ("'/a/it'\\''s.png'", "/a/it's.png"),
        ("\"/a/say \\\"hi\\\".png\"", "/a/say \"hi\".png"),
        ("\"/a/back\\slash.png\"", "/a/back\\slash.png"),
        ("/a/my\\ cat.png", "/a/my cat.png"),
        ("/a/\\(1\\)\\ \\&.png", "/a/(1) &.png"),
        ("/a/it's.png", "/a/it's.png"),
        ("/a/my cat.png", "/a/my cat.png"),
        ("file:///a/my%20cat.png", "/a/my cat.png"),
        ("FILE:///a/b.png", "/a/b.png"),
        ("file://localhost/a/b.png", "/a/b.png"),
        ("file://LocalHost/a/b.png", "/a/b.png"),
        ("file:/a/b.png", "/a/b.png"),
        ("file:///", "/"),
        ("'file:///a/x%27y.png'", "/a/x'y.png"),
        ("file:///a/caf%C3%A9.png", "/a/café.png"),
        ("file:///a/b.png?x=1#frag", "/a/b.png"),
        ("~/Pictures/cat.png", "/home/ann/Pictures/cat.png"),
        ("~", "/home/ann"),
        ("~bob/cat.png", "~bob/cat.png"),
        ("cat.png", "cat.png"),
        ("/写真/猫.png", "/写真/猫.png"),
    ])
    func parses(input: String, expected: String) {
        #expect(PathParsing.parsePastedPath(input, home: Self.home) == expected)
    }

    @Test(arguments: [
        "", "   ", "\n\t", "'", "\"", "'/a/open.png", "\"/a/open.png", "/a/trailing\\",
        "file://", "file:", "file://otherhost/a.png", "file://host", "file:relative.png",
        "file:///a/%", "file:///a/%4", "file:///a/%zz.png", "file:///a/%FF%FE.png", "file:///a/%C3.png",
        "file:///a/nul%00.png", "''", "\"\"",
    ])
    func rejects(input: String) {
        #expect(PathParsing.parsePastedPath(input, home: Self.home) == nil)
    }

    @Test func homeWithTrailingSlashOrEmpty() {
        #expect(PathParsing.parsePastedPath("~/x.png", home: "/home/ann/") == "/home/ann/x.png")
        #expect(PathParsing.parsePastedPath("~/x.png", home: "/") == "/x.png")
        #expect(PathParsing.parsePastedPath("~/x.png", home: "") == "~/x.png")
    }

    @Test func hugeInputDoesNotBlowUp() {
        let long = "/" + String(repeating: "a", count: 100_000) + ".png"
        #expect(PathParsing.parsePastedPath(long, home: Self.home) == long)
        let escapes = "file:///" + String(repeating: "%41", count: 20_000)
        #expect(PathParsing.parsePastedPath(escapes, home: Self.home)?.count == 20_001)
    }

    @Test(arguments: [
        ("a.png", true), ("A.PNG", true), ("/x/y.Jpg", true), ("y.jpeg", true), ("y.JPEG", true),
        ("y.gif", false), ("png", false), (".png", false), ("/x.png/", false), ("/x.png/y", false),
        ("y.png.txt", false), ("", false),
    ])
    func imageExtensions(path: String, isImage: Bool) {
        #expect(PathParsing.hasImageExtension(path) == isImage)
    }
}
