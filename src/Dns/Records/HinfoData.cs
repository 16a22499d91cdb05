namespace RulesApi.Dns.Records;

/// <summary>HINFO data (RFC 1035 §3.3.2): two character-strings.</summary>
public sealed record HinfoData(string Cpu, string OperatingSystem) : RecordData
{
    public override string ToString() => PresentationText.Quote(Cpu) + " " + PresentationText.Quote(OperatingSystem);
}
