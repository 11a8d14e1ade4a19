namespace Filix.Cli.Seeding;

// The word lists SampleData draws from.
internal sealed partial class SampleData
{
    public static readonly string[] GivenNames =
    [
        "Aisha", "Alejandro", "Amara", "Anders", "Ana", "Ben", "Bianca", "Carlos", "Chen", "Chloe", "Daniel", "Dmitri",
        "Elena", "Emeka", "Emma", "Fatima", "Felix", "Freya", "Gabriel", "Hana", "Hiroshi", "Ines", "Isaac", "Ivan",
        "Jamal", "Jana", "Jonas", "Julia", "Kai", "Karin", "Kofi", "Lars", "Laura", "Leila", "Liam", "Lucia", "Marco",
        "Maria", "Mateo", "Mei", "Mira", "Nadia", "Naomi", "Nikolai", "Noah", "Olga", "Omar", "Paula", "Pedro", "Priya",
        "Rafael", "Ravi", "Rosa", "Sami", "Sara", "Sofia", "Sven", "Tariq", "Thomas", "Valentina", "Wei", "Yara",
        "Yusuf", "Zoe", "Anika", "Bruno", "Clara", "Diego", "Eva", "Hugo", "Ingrid", "Jakob", "Lea", "Matteo", "Nora",
    ];

    public static readonly string[] FamilyNames =
    [
        "Adeyemi", "Andersen", "Bauer", "Becker", "Bianchi", "Brown", "Chen", "Costa", "Dubois", "Eriksson", "Fischer",
        "Garcia", "Gomez", "Hansen", "Hoffmann", "Ito", "Ivanova", "Jensen", "Kim", "Kowalski", "Kumar", "Larsen",
        "Lee", "Li", "Lopez", "Martin", "Meier", "Moreau", "Muller", "Nakamura", "Nguyen", "Novak", "Okafor", "Olsen",
        "Patel", "Petrov", "Rossi", "Santos", "Schmidt", "Schneider", "Silva", "Singh", "Smith", "Suzuki", "Tanaka",
        "Taylor", "Wagner", "Wang", "Weber", "Williams", "Wong", "Yamamoto", "Zhang", "Zimmermann", "Keller", "Huber",
        "Brunner", "Frei", "Gerber", "Baumann", "Steiner", "Moser", "Roth", "Haas", "Graf", "Lehmann", "Vogel",
    ];

    public static readonly (string City, string Country)[] Cities =
    [
        ("Zurich", "CH"), ("Geneva", "CH"), ("Basel", "CH"), ("Lausanne", "CH"), ("Berlin", "DE"), ("Munich", "DE"),
        ("Paris", "FR"), ("Lyon", "FR"), ("London", "GB"), ("Cambridge", "GB"), ("Oxford", "GB"), ("Amsterdam", "NL"),
        ("Copenhagen", "DK"), ("Stockholm", "SE"), ("Vienna", "AT"), ("Milan", "IT"), ("Barcelona", "ES"),
        ("Lisbon", "PT"), ("New York", "US"), ("Boston", "US"), ("San Francisco", "US"), ("Toronto", "CA"),
        ("Tokyo", "JP"), ("Singapore", "SG"), ("Sydney", "AU"), ("Lagos", "NG"), ("Nairobi", "KE"), ("Sao Paulo", "BR"),
    ];

    public static readonly string[] Words =
    [
        "the", "model", "we", "data", "results", "suggest", "that", "signal", "response", "increase", "in", "of",
        "and", "to", "a", "with", "network", "neurons", "analysis", "sample", "effect", "during", "between", "across",
        "project", "next", "week", "review", "draft", "figure", "experiment", "cohort", "baseline", "control",
        "we'll", "need", "check", "agree", "think", "maybe", "should", "because", "recording", "session", "team",
        "deadline", "budget", "plan", "question", "follow", "up", "on", "this", "paper", "grant", "pipeline",
        "server", "backup", "storage", "sync", "upload", "version", "release", "test", "measure", "compare",
        "significant", "robust", "preliminary", "early", "later", "first", "second", "new", "old", "large", "small",
    ];

    public static readonly string[] Topics =
    [
        "serotonin signalling", "dopamine release", "cortical oscillations", "synaptic plasticity", "place cells",
        "working memory", "reward prediction", "sleep spindles", "circadian rhythms", "gut microbiota",
        "gene expression", "protein folding", "CRISPR screening", "single-cell transcriptomics", "neural decoding",
        "reinforcement learning", "language models", "graph neural networks", "causal inference", "climate variability",
        "soil carbon", "ocean acidification", "photosynthetic efficiency", "immune memory", "tumour evolution",
    ];

    public static readonly string[] Adjectives =
    [
        "dynamic", "distributed", "state-dependent", "context-specific", "adaptive", "hierarchical", "sparse",
        "stochastic", "multiscale", "robust", "rapid", "long-term", "cell-type-specific", "latent", "emergent",
    ];

    public static readonly string[] Systems =
    [
        "mice", "rats", "zebrafish", "humans", "macaques", "Drosophila", "C. elegans", "organoids", "cell cultures",
        "large-scale simulations", "field populations", "clinical cohorts",
    ];

    public static readonly string[] Outcomes =
    [
        "decision making", "learning rates", "behavioural flexibility", "anxiety-like behaviour", "memory consolidation",
        "population coding", "metabolic state", "growth rates", "prediction accuracy", "resilience",
    ];

    public static readonly string[] Contexts =
    [
        "foraging", "development", "ageing", "stress", "sleep", "navigation", "social interaction", "training",
    ];

    public static readonly string[] Methods =
    [
        "Bayesian", "deep learning", "two-photon imaging", "optogenetic", "computational", "comparative",
        "longitudinal", "meta-analytic", "information-theoretic", "multi-omics",
    ];
}
