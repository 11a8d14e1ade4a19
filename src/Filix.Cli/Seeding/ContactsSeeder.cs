using Filix.Cli.Domains;
using Filix.Domains.Contacts;
using Filix.Runtime;

namespace Filix.Cli.Seeding;

/// <summary>Seed 000's contacts.db: 3,792 people from Gmail sync and by hand, their organisations, addresses and numbers.</summary>
internal sealed class ContactsSeeder : DomainSeeder<ContactsDatabase>
{
    public const int PersonCount = 3_792;
    public const int OrganizationCount = 640;

    private static readonly string[] OrgKinds = ["company", "company", "university", "lab", "nonprofit", "government"];
    private static readonly string[] JobTitles = ["Professor", "Postdoc", "PhD student", "Engineer", "Product manager", "Founder", "Editor", "Data scientist", "Lab manager", "Designer"];
    private static readonly string[] FreeMail = ["gmail.com", "proton.me", "outlook.com", "fastmail.com"];
    private static readonly string[] ContactTags = ["collaborator", "reviewer", "friend", "family", "client", "speaker", "dj", "vendor"];
    private static readonly string[] CountryCodes = ["+41", "+49", "+33", "+44", "+1", "+31", "+46"];

    public override FilixDatabase Database(ContactsDatabase database) => database.Database;

    public override IReadOnlyList<TableCounter> Tables(ContactsDatabase database) =>
    [
        new(OrganizationsTable.Name, database.Organizations.CountAsync),
        new(PeopleTable.Name, database.People.CountAsync),
        new(EmailsTable.Name, database.Emails.CountAsync),
        new(PhonesTable.Name, database.Phones.CountAsync),
    ];

    public override async Task SeedAsync(ContactsDatabase database, SeedContext context)
    {
        var data = context.Data;
        var organizations = new List<Organization>();
        for (var i = 0; i < context.Size(OrganizationCount); i++)
        {
            var kind = data.Pick(OrgKinds);
            var (city, country) = data.Place();
            var name = kind switch
            {
                "university" => $"University of {city}",
                "lab" => $"{data.FamilyName()} Lab",
                _ => $"{data.FamilyName()} {data.Pick(["Systems", "Analytics", "Labs", "Partners", "Foundation", "Media", "Bio"])}",
            };
            // The index keeps the domain (a unique index) unique even when two organisations share a name.
            var domain = SampleData.Invariant($"{SampleData.Slug(name)}-{i}.{(kind == "university" ? "edu" : country.ToLowerInvariant())}");
            var created = context.Past(2000);
            organizations.Add(new Organization
            {
                Id = data.Guid(),
                Name = name,
                Domain = domain,
                Website = "https://www." + domain,
                Kind = kind,
                City = city,
                Country = country,
                CreatedAt = created,
                UpdatedAt = created,
            });
        }

        var people = new List<Person>();
        var emails = new List<Email>();
        var phones = new List<Phone>();
        for (var i = 0; i < context.Size(PersonCount); i++)
        {
            var given = data.GivenName();
            var family = data.FamilyName();
            var organization = data.Chance(0.75) ? data.Pick(organizations) : null;
            var fromGmail = data.Chance(0.7);
            var (city, country) = data.Place();
            var created = context.Past(2500);
            var person = new Person
            {
                Id = data.Guid(),
                DisplayName = $"{given} {family}",
                GivenName = given,
                FamilyName = family,
                Nickname = data.Chance(0.05) ? given[..Math.Min(3, given.Length)] : null,
                OrganizationId = organization?.Id,
                JobTitle = organization is null ? null : data.Pick(JobTitles),
                Birthday = data.Chance(0.15) ? new DateOnly(data.Random.Next(1950, 2005), data.Random.Next(1, 13), data.Random.Next(1, 29)) : null,
                City = city,
                Country = country,
                Tags = SampleData.JsonArray(Enumerable.Range(0, data.Random.Next(0, 3)).Select(_ => data.Pick(ContactTags)).Distinct()),
                Notes = data.Chance(0.1) ? data.Sentence() : null,
                Starred = data.Chance(0.04),
                Source = fromGmail ? "gmail" : "manual",
                SourceId = fromGmail ? SampleData.Invariant($"people/c{data.Random.NextInt64(1L << 40, 1L << 52)}{i}") : null,
                LastContactedAt = data.Chance(0.6) ? context.Past(365) : null,
                CreatedAt = created,
                UpdatedAt = created.AddDays(data.Random.Next(0, 200)),
            };
            people.Add(person);

            var local = SampleData.Slug($"{given}.{family}").Replace('-', '.');
            var addresses = new List<(string Address, string Label)>();
            if (organization is not null)
            {
                addresses.Add(($"{local}@{organization.Domain}", "work"));
            }

            if (organization is null || data.Chance(0.4))
            {
                addresses.Add(($"{local}{data.Random.Next(1, 99)}@{data.Pick(FreeMail)}", "home"));
            }

            foreach (var (address, label) in addresses.DistinctBy(a => a.Address))
            {
                emails.Add(new Email
                {
                    PersonId = person.Id,
                    Address = address,
                    Label = label,
                    IsPrimary = address == addresses[0].Address,
                    VerifiedAt = fromGmail ? context.Past(400) : null,
                });
            }

            var phoneCount = data.Random.Next(0, 3);
            for (var p = 0; p < phoneCount; p++)
            {
                phones.Add(new Phone
                {
                    PersonId = person.Id,
                    Number = SampleData.Invariant($"{data.Pick(CountryCodes)}{data.Random.NextInt64(100_000_000, 999_999_999)}{p}"),
                    Label = p == 0 ? "mobile" : "work",
                    IsPrimary = p == 0,
                });
            }
        }

        await context.InsertAsync(OrganizationsTable.Name, organizations, database.Organizations.InsertManyAsync).ConfigureAwait(false);
        await context.InsertAsync(PeopleTable.Name, people, database.People.InsertManyAsync).ConfigureAwait(false);
        await context.InsertAsync(EmailsTable.Name, emails, database.Emails.InsertManyAsync).ConfigureAwait(false);
        await context.InsertAsync(PhonesTable.Name, phones, database.Phones.InsertManyAsync).ConfigureAwait(false);
    }

    public override async Task<IReadOnlyList<ReadCheck>> ReadBackAsync(ContactsDatabase database, CancellationToken cancellationToken)
    {
        var read = new ReadBack(Database(database), cancellationToken);
        var organizations = await read.ScanAsync(OrganizationsTable.Name, database.Organizations.CountAsync, database.Organizations.ScanAsync).ConfigureAwait(false);
        var people = await read.ScanAsync(PeopleTable.Name, database.People.CountAsync, database.People.ScanAsync).ConfigureAwait(false);
        var emails = await read.ScanAsync(EmailsTable.Name, database.Emails.CountAsync, database.Emails.ScanAsync).ConfigureAwait(false);
        await read.ScanAsync(PhonesTable.Name, database.Phones.CountAsync, database.Phones.ScanAsync).ConfigureAwait(false);
        await read.GetEachAsync("get person by id", people, (p, ct) => database.People.GetAsync(p.Id, ct)).ConfigureAwait(false);
        await read.GetEachAsync("get organisation by domain (unique)", organizations.Where(o => o.Domain is not null).ToList(), (o, ct) => database.Organizations.GetByDomainAsync(o.Domain!, ct)).ConfigureAwait(false);
        await read.FindEachAsync("find people by (family_name, given_name)", people.Where(p => p.FamilyName is not null && p.GivenName is not null).ToList(), (p, ct) => database.People.FindByFamilyNameAndGivenNameAsync(p.FamilyName, p.GivenName, ct), (p, r) => r.Id == p.Id).ConfigureAwait(false);
        await read.FindEachAsync("find emails by address", emails, (e, ct) => database.Emails.FindByAddressAsync(e.Address, ct), (e, r) => r == e).ConfigureAwait(false);
        return read.Checks;
    }
}
