using System.Collections.Generic;
using Filix.Generators.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Filix.Generators.Parsing;

/// <summary>A YAML node with its place in the file. Mappings keep every pair in order, duplicates included, so
/// the validator can report "declared twice" at the second occurrence instead of YamlDotNet throwing.</summary>
internal abstract class YNode
{
    protected YNode(SourceSpan span) => Span = span;

    public SourceSpan Span { get; }

    public abstract string KindName { get; }
}

internal sealed class YScalar : YNode
{
    public YScalar(SourceSpan span, string value, bool isPlain) : base(span)
    {
        Value = value;
        IsPlain = isPlain;
    }

    public string Value { get; }

    /// <summary>Unquoted: only a plain scalar can mean null, true or a number.</summary>
    public bool IsPlain { get; }

    public bool IsNull => IsPlain && (Value.Length == 0 || Value == "~" || Value == "null" || Value == "Null" || Value == "NULL");

    public override string KindName => IsNull ? "empty" : "a scalar";
}

internal sealed class YSequence : YNode
{
    public YSequence(SourceSpan span, List<YNode> items) : base(span) => Items = items;

    public List<YNode> Items { get; }

    public override string KindName => "a list";
}

internal sealed class YMapping : YNode
{
    public YMapping(SourceSpan span, List<KeyValuePair<YScalar, YNode>> pairs) : base(span) => Pairs = pairs;

    public List<KeyValuePair<YScalar, YNode>> Pairs { get; }

    public override string KindName => "a mapping";
}

/// <summary>Builds a <see cref="YNode"/> tree from YamlDotNet's event parser (the only code that touches YAML).</summary>
internal static class YamlTree
{
    /// <summary>Reads the first document; throws <see cref="YamlException"/> with a position on malformed input.</summary>
    public static YNode? Load(string path, string text)
    {
        var parser = new Parser(new System.IO.StringReader(text));
        var anchors = new Dictionary<string, YNode>();
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                return null;
            }

            parser.Consume<DocumentStart>();
            var root = ReadNode(path, parser, anchors);
            parser.Consume<DocumentEnd>();
            return root;
        }
        catch (System.InvalidOperationException)
        {
            // YamlDotNet's scanner can fail without a position (an unclosed '{' at the end of the file does this):
            // report it after the last thing that was read, where the file stopped making sense.
            var mark = parser.Current?.End ?? Mark.Empty;
            throw new YamlException(mark, mark, "the file cannot be read past this point; look for an unclosed '{', '[' or quote");
        }
    }

    private static YNode ReadNode(string path, IParser parser, Dictionary<string, YNode> anchors)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (anchors.TryGetValue(alias.Value.Value, out var target))
            {
                return target;
            }

            throw new YamlException(alias.Start, alias.End, $"unknown alias '*{alias.Value.Value}'");
        }

        YNode node;
        string? anchor = null;
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            anchor = scalar.Anchor.IsEmpty ? null : scalar.Anchor.Value;
            node = new YScalar(Span(path, scalar.Start, scalar.End), scalar.Value, scalar.Style == ScalarStyle.Plain);
        }
        else if (parser.TryConsume<SequenceStart>(out var seqStart))
        {
            anchor = seqStart.Anchor.IsEmpty ? null : seqStart.Anchor.Value;
            var items = new List<YNode>();
            while (!parser.TryConsume<SequenceEnd>(out var seqEnd))
            {
                items.Add(ReadNode(path, parser, anchors));
            }

            node = new YSequence(Span(path, seqStart.Start, seqStart.End), items);
        }
        else
        {
            var mapStart = parser.Consume<MappingStart>();
            anchor = mapStart.Anchor.IsEmpty ? null : mapStart.Anchor.Value;
            var pairs = new List<KeyValuePair<YScalar, YNode>>();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var key = ReadNode(path, parser, anchors);
                if (key is not YScalar keyScalar)
                {
                    throw new YamlException(ToMark(key.Span, start: true), ToMark(key.Span, start: false), "mapping keys must be plain names");
                }

                pairs.Add(new KeyValuePair<YScalar, YNode>(keyScalar, ReadNode(path, parser, anchors)));
            }

            node = new YMapping(Span(path, mapStart.Start, mapStart.End), pairs);
        }

        if (anchor is not null)
        {
            anchors[anchor] = node;
        }

        return node;
    }

    public static SourceSpan Span(string path, Mark start, Mark end) =>
        new(path, (int)start.Line - 1, (int)start.Column - 1, (int)end.Line - 1, (int)end.Column - 1, (int)start.Index, (int)end.Index);

    private static Mark ToMark(SourceSpan span, bool start) => start
        ? new Mark(span.StartOffset, span.StartLine + 1, span.StartColumn + 1)
        : new Mark(span.EndOffset, span.EndLine + 1, span.EndColumn + 1);
}
