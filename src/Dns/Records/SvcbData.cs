using System.Globalization;
using System.Text;
using RulesApi.Dns.Names;

namespace RulesApi.Dns.Records;

/// <summary>One SvcParam (RFC 9460 §2.1): the key's number and its value as written (quotes removed).</summary>
public sealed record SvcParam(ushort Key, string? Value)
{
    public string KeyName => Key switch
    {
        0 => "mandatory",
        1 => "alpn",
        2 => "no-default-alpn",
        3 => "port",
        4 => "ipv4hint",
        5 => "ech",
        6 => "ipv6hint",
        7 => "dohpath",
        8 => "ohttp",
        _ => "key" + Key.ToString(CultureInfo.InvariantCulture),
    };
}

/// <summary>SVCB and HTTPS data (RFC 9460): priority, target and parameters in key order.</summary>
public sealed record SvcbData(ushort Priority, DnsName Target, IReadOnlyList<SvcParam> Parameters) : RecordData
{
    public override string ToString()
    {
        var builder = new StringBuilder();
        builder.Append(Priority.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(Target.Text);
        foreach (var parameter in Parameters)
        {
            builder.Append(' ').Append(parameter.KeyName);
            // An empty value is written as the key alone, as BIND writes it (ech= and ech read the same).
            if (!string.IsNullOrEmpty(parameter.Value))
            {
                builder.Append('=');
                PresentationText.AppendQuoted(builder, parameter.Value);
            }
        }

        return builder.ToString();
    }
}
