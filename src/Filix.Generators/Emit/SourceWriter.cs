using System;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace Filix.Generators.Emit;

/// <summary>
/// A StringBuilder with indentation, as dotnet/runtime's generators use: multi-line text is re-indented line by
/// line, so raw string literals and nested blocks come out aligned. The emitters only ever append through it.
/// </summary>
internal sealed class SourceWriter
{
    private const int IndentSize = 4;
    private readonly StringBuilder _sb = new();

    public int Indentation { get; set; }

    public SourceWriter WriteLine(string text = "")
    {
        if (text.Length == 0)
        {
            _sb.Append('\n');
            return this;
        }

        foreach (var line in text.Replace("\r\n", "\n").Split('\n'))
        {
            if (line.Length > 0)
            {
                _sb.Append(' ', Indentation * IndentSize).Append(line);
            }

            _sb.Append('\n');
        }

        return this;
    }

    /// <summary>Writes <paramref name="header"/>, an opening brace, and indents until the returned scope is disposed.</summary>
    public Block Open(string header, string close = "}")
    {
        WriteLine(header);
        WriteLine("{");
        Indentation++;
        return new Block(this, close);
    }

    public void WriteSummary(string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        WriteLine("/// <summary>");
        foreach (var line in text.Trim().Split('\n'))
        {
            WriteLine("/// " + Xml(line.Trim()));
        }

        WriteLine("/// </summary>");
    }

    /// <summary>A C# literal for <paramref name="value"/>: a raw string when it spans lines, else a quoted one.</summary>
    public static string Literal(string value)
    {
        if (value.IndexOf('\n') < 0)
        {
            return SymbolDisplay.FormatLiteral(value, quote: true);
        }

        var quotes = new string('"', Math.Max(3, LongestQuoteRun(value) + 1));
        return quotes + "\n" + value + "\n" + quotes;
    }

    public override string ToString()
    {
        if (Indentation != 0)
        {
            throw new InvalidOperationException("SourceWriter ended at indentation " + Indentation + ": a block was not closed.");
        }

        return _sb.ToString();
    }

    private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static int LongestQuoteRun(string value)
    {
        int longest = 0, run = 0;
        foreach (var c in value)
        {
            run = c == '"' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return longest;
    }

    public readonly struct Block : IDisposable
    {
        private readonly SourceWriter _writer;
        private readonly string _close;

        public Block(SourceWriter writer, string close)
        {
            _writer = writer;
            _close = close;
        }

        public void Dispose()
        {
            _writer.Indentation--;
            _writer.WriteLine(_close);
        }
    }
}
