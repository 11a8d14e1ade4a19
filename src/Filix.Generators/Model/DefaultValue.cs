namespace Filix.Generators.Model;

/// <summary>The kinds of column default the schema language can express portably.</summary>
public enum DefaultKind
{
    /// <summary>A literal of the column's type (text, number, boolean), kept as its canonical text.</summary>
    Literal,

    /// <summary><c>now</c>: the current UTC time, for timestamp columns.</summary>
    Now,

    /// <summary><c>today</c>: the current UTC date, for date columns.</summary>
    Today,
}

/// <summary>A column default. <see cref="Value"/> is the canonical literal (for example <c>true</c>, <c>42</c>,
/// <c>active</c>); it is empty for <see cref="DefaultKind.Now"/> and <see cref="DefaultKind.Today"/>.</summary>
public sealed record DefaultValue(DefaultKind Kind, string Value);
