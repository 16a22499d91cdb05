using System.Globalization;

namespace RulesApi.Dns.Records;

/// <summary>DS and CDS data (RFC 4034 §5, RFC 7344).</summary>
public sealed record DsData(ushort KeyTag, byte Algorithm, byte DigestType, byte[] Digest) : RecordData
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{KeyTag} {Algorithm} {DigestType} {PresentationText.Hex(Digest)}");

    /// <summary>
    /// Reads a DS as people copy it from a registrar or <c>dig</c>: the data alone (<c>12345 13 2 49FD…</c>)
    /// or a whole record line (<c>example.com. 3600 IN DS 12345 13 2 49FD…</c>).
    /// </summary>
    public static bool TryParse(string text, out DsData data, out string error)
    {
        var tokens = text.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var at = Array.FindIndex(tokens, t => t.Equals("DS", StringComparison.OrdinalIgnoreCase));
        var rdata = string.Join(' ', at >= 0 ? tokens[(at + 1)..] : tokens);
        var parsed = ZoneFiles.MasterFileParser.Parse($"@ 3600 IN DS {rdata}\n", new ZoneFiles.ZoneParserOptions { Origin = Names.DnsName.Root });
        if (parsed.HasErrors || parsed.Records is not [{ Data: DsData ds }])
        {
            data = null!;
            error = parsed.Diagnostics.FirstOrDefault()?.Message ?? "not a DS record (key tag, algorithm, digest type, digest in hex)";
            return false;
        }

        data = ds;
        error = "";
        return true;
    }
}
