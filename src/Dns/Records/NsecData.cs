using RulesApi.Dns.Names;

namespace RulesApi.Dns.Records;

/// <summary>NSEC data (RFC 4034 §4): the next owner name and the types present at this name.</summary>
public sealed record NsecData(DnsName NextName, IReadOnlyList<RecordType> Types) : RecordData
{
    public override string ToString() => Types.Count == 0 ? NextName.Text : NextName.Text + " " + PresentationText.TypeList(Types);
}
