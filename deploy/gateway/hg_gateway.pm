package hg_gateway;

# What the gateway reads of a bearer token to choose its rate-limit keys (deploy/gateway/nginx.conf.in,
# docs/security.md#rate-limits). nginx cannot check a signature: nothing here decides who the caller is, the
# services do that. It only sorts requests into
#   $hg_jwt_sub   the token's `sub` claim when the token is well formed and not expired (the per-subject zone),
#   $hg_auth_bad  the client address when the request is certain to fail authentication (no token, a token
#                 that is not a JWT, an unsupported `alg`, no `sub`, expired): the stricter zone.
# Both are empty for what is not limited (/healthz, /readyz, preflights: see $hg_limited in the template).
# A token with a forged signature is well formed: it counts against its claimed subject and, like every request,
# against its address; the service answers it 401.

use strict;
use warnings;
use nginx;
use MIME::Base64 ();
use JSON::PP     ();

my $LEEWAY_S = 30;    # as HG_JWT_LEEWAY_S
my %ALGS     = map { $_ => 1 } qw(HS256 RS256 ES256);
my $json     = JSON::PP->new->utf8->max_depth(8);

# One verdict per Authorization header value, kept for the request (both variables ask).
my ( $last_header, $last_time, $last_sub ) = ( '', 0, undef );

sub _b64url_json {
    my ($s) = @_;
    $s =~ tr{-_}{+/};
    $s .= '=' x ( ( 4 - length($s) % 4 ) % 4 );
    my $raw = MIME::Base64::decode_base64($s);
    my $v   = eval { $json->decode($raw) };
    return ref $v eq 'HASH' ? $v : undef;
}

# The subject of a well-formed, unexpired token in the Authorization header, or undef.
sub _subject {
    my ($r) = @_;
    my $h = $r->header_in('Authorization');
    return undef unless defined $h && length($h) <= 8192;
    my $now = time;
    return $last_sub if $h eq $last_header && $now == $last_time;
    my $sub;
    if ( $h =~ /^Bearer ([A-Za-z0-9_-]{4,1024})\.([A-Za-z0-9_-]{4,6000})\.([A-Za-z0-9_-]{16,1024})$/ ) {
        my ( $head, $claims ) = ( _b64url_json($1), _b64url_json($2) );
        if (   $head
            && $claims
            && defined $head->{alg}
            && !ref $head->{alg}
            && $ALGS{ $head->{alg} }
            && defined $claims->{sub}
            && !ref $claims->{sub}
            && length( $claims->{sub} ) >= 1
            && length( $claims->{sub} ) <= 128
            && defined $claims->{exp}
            && !ref $claims->{exp}
            && $claims->{exp} =~ /^[0-9]{1,12}$/
            && $claims->{exp} + $LEEWAY_S >= $now )
        {
            $sub = $claims->{sub};
            $sub =~ s/[^A-Za-z0-9._:@-]/_/g;    # a key, never logged or echoed
        }
    }
    ( $last_header, $last_time, $last_sub ) = ( $h, $now, $sub );
    return $sub;
}

sub limited {
    my ($r) = @_;
    return $r->variable('hg_limited') eq '1';
}

# perl_set $hg_jwt_sub
sub jwt_sub {
    my ($r) = @_;
    return '' unless limited($r);
    my $sub = _subject($r);
    return defined $sub ? "sub:$sub" : '';
}

# perl_set $hg_auth_bad
sub auth_bad {
    my ($r) = @_;
    return '' unless limited($r);
    return defined _subject($r) ? '' : $r->remote_addr;
}

1;
