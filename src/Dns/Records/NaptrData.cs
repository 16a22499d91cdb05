using System.Globalization;
using RulesApi.Dns.Names;

namespace RulesApi.Dns.Records;

/// <summary>NAPTR data (RFC 3403 §4.1).</summary>
public sealed record NaptrData(ushort Order, ushort Preference, string Flags, string Services, string Regexp, DnsName Replacement) : RecordData
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Order} {Preference} {PresentationText.Quote(Flags)} {PresentationText.Quote(Services)} {PresentationText.Quote(Regexp)} {Replacement.Text}");
}
