import AppCore
import Testing

@Suite struct ThemeParserTests {
    @Test func readsStringsInlineTablesAndSubTables() throws {
        let source = """
        # a comment
        name = "mine"   # trailing comment

        [colors]
        text = { fg = "#d0d0d0", bg = "color234" }
        dim = "bright-black"
        "accent" = { foreground = "cyan", bold = true, underline = true }
        code = { bg = 'black', italic = true }

        [colors.heading]
        fg = "yellow"
        bold = true
        reverse = false

        [ colors . "error" ]
        bg = "red"
        reverse = true
        """
        let theme = try ThemeParser.parse(source, fileName: "mine.toml")
        #expect(theme.name == "mine")
        let text = ThemeStyle(foreground: .rgb(0xd0, 0xd0, 0xd0), background: .indexed(234))
        #expect(theme.style(.text) == text)
        // A role's missing colours are the text role's.
        #expect(theme.style(.dim) == ThemeStyle(foreground: .ansi(8), background: .indexed(234)))
        #expect(theme.style(.accent) == ThemeStyle(foreground: .ansi(6), background: .indexed(234), bold: true, underline: true))
        #expect(theme.style(.code) == ThemeStyle(foreground: .rgb(0xd0, 0xd0, 0xd0), background: .ansi(0), italic: true))
        #expect(theme.style(.heading) == ThemeStyle(foreground: .ansi(3), background: .indexed(234), bold: true))
        #expect(theme.style(.error) == ThemeStyle(foreground: .rgb(0xd0, 0xd0, 0xd0), background: .ansi(1), reverse: true))
        // Roles not given fall back to text.
        #expect(theme.styles[.status] == nil)
        #expect(theme.style(.status) == text)
    }

    @Test func emptyFileIsTheTerminalDefaultsNamedAfterTheFile() throws {
        let theme = try ThemeParser.parse("", fileName: "/home/ann/.config/xcomposer/themes/plain.toml")
        #expect(theme.name == "plain")
        for role in ColorRole.allCases {
            #expect(theme.style(role) == .plain)
        }
    }

    @Test func windowsLineEndingsAndEscapesAreRead() throws {
        let theme = try ThemeParser.parse("name = \"caf\\u00e9 \\\"x\\\"\"\r\n[colors]\r\ntext = \"red\"\r\n", fileName: "w.toml")
        #expect(theme.name == "café \"x\"")
        #expect(theme.style(.text).foreground == .ansi(1))
    }

    @Test(arguments: [
        ("[colors]\ntext = \"red\"\ndim = \"bleu\"", "t.toml:3: unknown colour 'bleu'"),
        ("[colors]\ntext = { fg = \"#12345\" }", "t.toml:2: unknown colour '#12345'"),
        ("[colors]\ntexte = \"red\"", "t.toml:2: unknown role 'texte'; roles are text, dim, border, accent, user, assistant, heading, code, emphasis, status, chip, selection, error, warning, progress"),
        ("[colors.nope]", "t.toml:1: unknown role 'nope'; roles are text, dim, border, accent, user, assistant, heading, code, emphasis, status, chip, selection, error, warning, progress"),
        ("[colors]\ntext = { fgg = \"red\" }", "t.toml:2: unknown key 'fgg' for text; expected fg, bg, bold, italic, underline or reverse"),
        ("[colors.text]\nbold = \"yes\"", "t.toml:2: 'bold' of text must be true or false, not a string"),
        ("[colors.text]\nfg = true", "t.toml:2: 'fg' of text must be a colour in quotes, not true/false"),
        ("[colors]\ntext = true", "t.toml:2: 'text' must be a colour in quotes or { fg = \"…\", … }"),
        ("colour = \"red\"", "t.toml:1: unknown key 'colour'; expected name or a [colors] table"),
        ("name = true", "t.toml:1: name must be a string in quotes"),
        ("[palette]", "t.toml:1: unknown table [palette]; expected [colors] or [colors.ROLE]"),
        ("[colors.text.fg]", "t.toml:1: unknown table [colors.text.fg]; expected [colors] or [colors.ROLE]"),
        ("[colors]\ntext = \"red\"\ntext = \"blue\"", "t.toml:3: duplicate key 'text'"),
        ("[colors]\n[colors]", "t.toml:2: [colors] is defined twice"),
        ("[colors]\ntext = \"red\"\n[colors.text]", "t.toml:3: [colors.text] is defined twice"),
        ("[colors]\ntext = { fg = \"red\", fg = \"blue\" }", "t.toml:2: duplicate key 'fg'"),
        ("name = \"dark", "t.toml:1: unterminated string"),
        ("name = 'dark", "t.toml:1: unterminated string"),
        ("name = \"a\\qb\"", "t.toml:1: unknown escape '\\q' in a string"),
        ("name = \"\\u12\"", "t.toml:1: bad \\u escape in a string"),
        ("name = \"\\uD800\"", "t.toml:1: bad \\u escape in a string"),
        ("name = \"\"\"x\"\"\"", "t.toml:1: multi-line strings are not supported"),
        ("name = 5", "t.toml:1: expected a value (a string in quotes, true/false or { … }), found '5'"),
        ("name =", "t.toml:1: expected a value (a string in quotes, true/false or { … }), found the end of the line"),
        ("name = [\"a\"]", "t.toml:1: arrays are not supported"),
        ("name = truex", "t.toml:1: expected a value (a string in quotes, true/false or { … }), found 'truex'"),
        ("name \"x\"", "t.toml:1: expected '=' after 'name', found '\"x\"'"),
        ("colors.text = \"red\"", "t.toml:1: dotted keys are not supported; use a [table] instead"),
        ("[colors\ntext = \"red\"", "t.toml:1: expected ']' to close the table name, found the end of the line"),
        ("[[colors]]", "t.toml:1: arrays of tables ([[…]]) are not supported"),
        ("[]", "t.toml:1: expected a key, found ']'"),
        ("= \"x\"", "t.toml:1: expected a key, found '= \"x\"'"),
        ("name = \"x\" y", "t.toml:1: unexpected 'y' after the value"),
        ("[colors]\ntext = { fg = \"red\"", "t.toml:2: expected ',' or '}' in the inline table, found the end of the line"),
        ("name = \"tab\tok\u{1}\"", "t.toml:1: control character in a string"),
    ])
    func errorsAreOneLineNamingFileAndLine(source: String, message: String) {
        do {
            _ = try ThemeParser.parse(source, fileName: "t.toml")
            Issue.record("no error for \(source)")
        } catch {
            #expect(error.description == message)
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func hugeAndOddInputsAreRejectedOrReadWithoutCrashing() {
        let huge = String(repeating: "# comment line\n", count: 20_000) + "name = \"x\"\nbogus"
        #expect(throws: ThemeError(fileName: "h.toml", line: 20_002, message: "expected '=' after 'bogus', found the end of the line")) {
            try ThemeParser.parse(huge, fileName: "h.toml")
        }
        for odd in ["\"", "'", "[", "{", "=", "\u{0}", "name = \"\u{FEFF}\"", "[colors]\ntext = {}", "🇫🇷 = \"x\""] {
            _ = try? ThemeParser.parse(odd, fileName: "odd.toml")
        }
        #expect((try? ThemeParser.parse("[colors]\ntext = {}", fileName: "e.toml"))?.style(.text) == .plain)
    }

    @Test func themeDegradesEveryStyle() throws {
        let theme = try ThemeParser.parse("[colors]\ntext = { fg = \"#ff0000\", bg = \"#000000\" }\nchip = \"bright-blue\"", fileName: "d.toml")
        let eight = theme.degraded(toColors: 8)
        #expect(eight.style(.text) == ThemeStyle(foreground: .ansi(1), background: .ansi(0)))
        #expect(eight.style(.chip) == ThemeStyle(foreground: .ansi(4), background: .ansi(0)))
        #expect(eight.name == theme.name)
    }
}
