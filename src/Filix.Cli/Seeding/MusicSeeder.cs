using Filix.Cli.Domains;
using Filix.Domains.Music;
using Filix.Runtime;

namespace Filix.Cli.Seeding;

/// <summary>Seed 000's music.db: a DJ library of 4,947 tracks with artists, releases, cue points, crates and played sets.</summary>
internal sealed class MusicSeeder : DomainSeeder<MusicDatabase>
{
    public const int TrackCount = 4_947;
    public const int ArtistCount = 950;
    public const int AlbumCount = 1_600;
    public const int PlaylistCount = 60;

    private static readonly (string Genre, int MinBpm, int MaxBpm)[] Genres =
    [
        ("House", 120, 128), ("Deep House", 118, 124), ("Techno", 126, 138), ("Minimal", 122, 128), ("Disco", 110, 124),
        ("Drum & Bass", 170, 176), ("Breaks", 125, 135), ("Downtempo", 85, 110), ("Afro House", 118, 124), ("Electro", 125, 135),
    ];

    private static readonly string[] ArtistWords = ["Midnight", "Echo", "Velvet", "Neon", "Solar", "Crystal", "Deep", "Lunar", "Static", "Golden", "Analog", "Pulse", "Drift", "Atlas", "Nova"];
    private static readonly string[] TitleWords = ["Dreams", "Motion", "Signal", "Horizon", "Heat", "Rain", "Gravity", "Afterglow", "Voices", "Tides", "Circuit", "Bloom", "Shelter", "Fever", "Mirage"];
    private static readonly string[] Mixes = ["Original Mix", "Extended Mix", "Dub", "Remix", "Radio Edit", "Instrumental"];
    private static readonly string[] Labels = ["Kompakt", "Innervisions", "Ninja Tune", "Warp", "Defected", "Hyperdub", "Dial", "Ostgut Ton", "Running Back", "Permanent Vacation"];
    private static readonly string[] Formats = ["mp3", "flac", "flac", "aiff", "wav", "m4a"];
    private static readonly string[] CueColors = ["#E03C31", "#F8A30C", "#30D158", "#0A84FF", "#BF5AF2", "#FFD60A"];
    private static readonly string[] CueLabels = ["Intro", "Drop", "Break", "Vocal", "Outro", "Build"];
    private static readonly string[] Transitions = ["blend", "cut", "echo out", "filter sweep", "long blend"];

    public override FilixDatabase Database(MusicDatabase database) => database.Database;

    public override IReadOnlyList<TableCounter> Tables(MusicDatabase database) =>
    [
        new(ArtistsTable.Name, database.Artists.CountAsync),
        new(AlbumsTable.Name, database.Albums.CountAsync),
        new(TracksTable.Name, database.Tracks.CountAsync),
        new(CuesTable.Name, database.Cues.CountAsync),
        new(PlaylistsTable.Name, database.Playlists.CountAsync),
        new(PlaylistTracksTable.Name, database.PlaylistTracks.CountAsync),
    ];

    public override async Task SeedAsync(MusicDatabase database, SeedContext context)
    {
        var data = context.Data;
        var artists = new List<Artist>();
        for (var i = 0; i < context.Size(ArtistCount); i++)
        {
            var name = data.Random.Next(3) switch
            {
                0 => $"{data.GivenName()} {data.FamilyName()}",
                1 => $"{data.Pick(ArtistWords)} {data.Pick(TitleWords)}",
                _ => $"The {data.Pick(ArtistWords)} {data.Pick(TitleWords)}",
            };
            artists.Add(new Artist
            {
                Id = data.Guid(),
                Name = name,
                SortName = name.StartsWith("The ", StringComparison.Ordinal) ? name[4..] + ", The" : name,
                Country = data.Chance(0.6) ? data.Place().Country : null,
                MusicbrainzId = data.Chance(0.5) ? data.Guid() : null,
                CreatedAt = context.Past(3000),
            });
        }

        var albums = new List<Album>();
        for (var i = 0; i < context.Size(AlbumCount); i++)
        {
            var label = data.Pick(Labels);
            albums.Add(new Album
            {
                Id = data.Guid(),
                Title = $"{data.Pick(TitleWords)} {data.Pick(["EP", "LP", "Vol. 2", "Sessions", "Remixes", ""])}".TrimEnd(),
                ArtistId = data.Chance(0.9) ? data.Pick(artists).Id : null,
                Year = 2026 - (long)Math.Min(40, Math.Abs(data.Gaussian() * 8)),
                Label = label,
                CatalogNumber = SampleData.Invariant($"{label[..Math.Min(4, label.Length)].ToUpperInvariant()}{data.Random.Next(1, 400):D3}"),
                ReleaseType = data.Pick(["album", "ep", "ep", "single", "compilation"]),
                CoverKey = $"music/covers/{i:D5}.jpg",
                CreatedAt = context.Past(3000),
            });
        }

        var tracks = new List<Track>();
        var cues = new List<Cue>();
        var numbering = new Dictionary<Guid, long>();
        for (var i = 0; i < context.Size(TrackCount); i++)
        {
            var (genre, minBpm, maxBpm) = data.Pick(Genres);
            var album = data.Chance(0.85) ? data.Pick(albums) : null;
            var number = album is null ? (long?)null : numbering[album.Id] = numbering.GetValueOrDefault(album.Id) + 1;
            var format = data.Pick(Formats);
            var duration = (long)data.Random.Next(180_000, 560_000);
            var added = context.Past(2500);
            var track = new Track
            {
                Id = data.Guid(),
                Title = $"{data.Pick(TitleWords)}{(data.Chance(0.4) ? " " + data.Pick(TitleWords) : string.Empty)}",
                ArtistId = album?.ArtistId ?? data.Pick(artists).Id,
                AlbumId = album?.Id,
                MixName = data.Pick(Mixes),
                DiscNumber = 1,
                TrackNumber = number,
                DurationMs = duration,
                Bpm = data.Chance(0.97) ? Math.Round(minBpm + data.Random.NextDouble() * (maxBpm - minBpm), 2) : null,
                MusicalKey = data.Chance(0.95) ? SampleData.Invariant($"{data.Random.Next(1, 13)}{(data.Chance(0.5) ? "A" : "B")}") : null,
                Genre = genre,
                Energy = data.Random.Next(1, 11),
                Rating = data.Random.Next(0, 6),
                PlayCount = data.Chance(0.7) ? data.Random.Next(1, 80) : 0,
                LastPlayedAt = data.Chance(0.6) ? context.Past(400) : null,
                Isrc = data.Chance(0.7) ? SampleData.Invariant($"GB{data.Hex(2).ToUpperInvariant()}{data.Random.Next(10, 27)}{data.Random.Next(0, 99999):D5}") : null,
                Format = format,
                BitrateKbps = format == "mp3" ? data.Pick([256L, 320L]) : format == "m4a" ? 256 : null,
                SampleRateHz = format is "flac" or "aiff" or "wav" && data.Chance(0.3) ? 48_000 : 44_100,
                FileKey = SampleData.Invariant($"music/{SampleData.Slug(genre)}/{i:D5}.{format}"),
                FileSha256 = data.Hex(32),
                Comment = data.Chance(0.1) ? data.Sentence(3, 8) : null,
                Tags = SampleData.JsonArray(Enumerable.Range(0, data.Random.Next(0, 3)).Select(_ => data.Pick(["warm-up", "peak", "vocal", "closing", "classic", "tool"])).Distinct()),
                AddedAt = added,
                UpdatedAt = added.AddDays(data.Random.Next(0, 100)),
            };
            tracks.Add(track);

            var hotCues = data.Random.Next(0, 7);
            for (var slot = 0; slot < hotCues; slot++)
            {
                cues.Add(new Cue { TrackId = track.Id, Kind = "hot", Slot = slot, PositionMs = duration * slot / Math.Max(1, hotCues), Label = data.Pick(CueLabels), Color = data.Pick(CueColors) });
            }

            if (data.Chance(0.3))
            {
                cues.Add(new Cue { TrackId = track.Id, Kind = "loop", Slot = 0, PositionMs = data.Random.NextInt64(duration / 2), LoopLengthMs = 60_000 * 16 / (long)Math.Max(1, track.Bpm ?? 120), Label = "16 beats" });
            }
        }

        var playlists = new List<Playlist>();
        var entries = new List<PlaylistTrack>();
        var folders = new[] { "Crates", "Sets", "Radio" }.Select(name => new Playlist { Id = data.Guid(), Name = name, Kind = "folder", CreatedAt = context.Past(3000), UpdatedAt = context.Now }).ToList();
        playlists.AddRange(folders);
        for (var i = 0; i < context.Size(PlaylistCount); i++)
        {
            var folder = data.Pick(folders);
            var isSet = folder.Name == "Sets";
            var created = context.Past(1500);
            var playlist = new Playlist
            {
                Id = data.Guid(),
                Name = isSet ? SampleData.Invariant($"Set {created:yyyy-MM-dd}") : $"{data.Pick(Genres).Genre} {data.Pick(["favourites", "to try", "warm-up", "peak time", "closing"])}",
                Kind = isSet ? "set" : "crate",
                ParentId = folder.Id,
                Description = data.Chance(0.3) ? data.Sentence(4, 10) : null,
                PlayedAt = isSet ? created : null,
                Venue = isSet ? $"{data.Pick(ArtistWords)} Club, {data.City()}" : null,
                CreatedAt = created,
                UpdatedAt = created,
            };
            playlists.Add(playlist);
            var length = isSet ? data.Random.Next(15, 35) : data.Random.Next(20, 120);
            for (var position = 0; position < length; position++)
            {
                entries.Add(new PlaylistTrack
                {
                    PlaylistId = playlist.Id,
                    Position = position,
                    TrackId = data.Pick(tracks).Id,
                    Transition = isSet && position > 0 ? data.Pick(Transitions) : null,
                    AddedAt = created,
                });
            }
        }

        await context.InsertAsync(ArtistsTable.Name, artists, database.Artists.InsertManyAsync).ConfigureAwait(false);
        await context.InsertAsync(AlbumsTable.Name, albums, database.Albums.InsertManyAsync).ConfigureAwait(false);
        await context.InsertAsync(TracksTable.Name, tracks, database.Tracks.InsertManyAsync).ConfigureAwait(false);
        await context.InsertAsync(CuesTable.Name, cues, database.Cues.InsertManyAsync).ConfigureAwait(false);
        await context.InsertAsync(PlaylistsTable.Name, playlists, database.Playlists.InsertManyAsync).ConfigureAwait(false);
        await context.InsertAsync(PlaylistTracksTable.Name, entries, database.PlaylistTracks.InsertManyAsync).ConfigureAwait(false);
    }

    public override async Task<IReadOnlyList<ReadCheck>> ReadBackAsync(MusicDatabase database, CancellationToken cancellationToken)
    {
        var read = new ReadBack(Database(database), cancellationToken);
        await read.ScanAsync(ArtistsTable.Name, database.Artists.CountAsync, database.Artists.ScanAsync).ConfigureAwait(false);
        await read.ScanAsync(AlbumsTable.Name, database.Albums.CountAsync, database.Albums.ScanAsync).ConfigureAwait(false);
        var tracks = await read.ScanAsync(TracksTable.Name, database.Tracks.CountAsync, database.Tracks.ScanAsync).ConfigureAwait(false);
        await read.ScanAsync(CuesTable.Name, database.Cues.CountAsync, database.Cues.ScanAsync).ConfigureAwait(false);
        await read.ScanAsync(PlaylistsTable.Name, database.Playlists.CountAsync, database.Playlists.ScanAsync).ConfigureAwait(false);
        var entries = await read.ScanAsync(PlaylistTracksTable.Name, database.PlaylistTracks.CountAsync, database.PlaylistTracks.ScanAsync).ConfigureAwait(false);
        await read.GetEachAsync("get track by id", tracks, (t, ct) => database.Tracks.GetAsync(t.Id, ct)).ConfigureAwait(false);
        await read.FindEachAsync("find tracks by artist_id", tracks, (t, ct) => database.Tracks.FindByArtistIdAsync(t.ArtistId, ct), (t, r) => r.Id == t.Id).ConfigureAwait(false);
        await read.FindEachAsync("find tracks by (musical_key, bpm)", tracks.Where(t => t.MusicalKey is not null && t.Bpm is not null).ToList(), (t, ct) => database.Tracks.FindByMusicalKeyAndBpmAsync(t.MusicalKey, t.Bpm, ct), (t, r) => r.Id == t.Id).ConfigureAwait(false);
        await read.FindEachAsync("find playlist entries by track_id", entries, (e, ct) => database.PlaylistTracks.FindByTrackIdAsync(e.TrackId, ct), (e, r) => r == e).ConfigureAwait(false);
        return read.Checks;
    }
}
