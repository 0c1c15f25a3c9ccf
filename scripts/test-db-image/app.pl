#!/usr/bin/perl
# A tiny app for the deploy tests of `we db` and the deploy hooks: GET / answers $APP_VERSION;
# GET /health answers ok; GET /db runs `select 1` with psql on $DATABASE_URL (from the
# project's env file) and answers its output; GET /db/tables answers the public tables' names.
use strict;
use warnings;
use IO::Socket::INET;

my $server = IO::Socket::INET->new(LocalAddr => '0.0.0.0', LocalPort => 8080, Listen => 16,
  ReuseAddr => 1) or die "listen: $!";
while (my $c = $server->accept) {
  my $request = <$c> // '';
  while (my $line = <$c>) { last if $line =~ /^\r?\n$/; }
  my ($path) = $request =~ m{^GET (\S+)};
  my ($code, $body) = (404, "not found\n");
  my %sql = ('/db' => 'select 1', '/db/tables' => "select coalesce(string_agg(tablename, ','"
    . " order by tablename), '') from pg_tables where schemaname = 'public'");
  if (defined $path && $path eq '/') {
    ($code, $body) = (200, ($ENV{APP_VERSION} // 'app') . "\n");
  } elsif (defined $path && $path eq '/health') {
    ($code, $body) = (200, "ok\n");
  } elsif (defined $path && exists $sql{$path}) {
    if (open(my $psql, '-|', '/usr/lib/postgresql/15/bin/psql', $ENV{DATABASE_URL} // '',
        '-tAc', $sql{$path})) {
      local $/;
      $body = <$psql> // '';
      close $psql;
      $code = $? == 0 ? 200 : 500;
    } else {
      ($code, $body) = (500, "psql: $!\n");
    }
  }
  print $c "HTTP/1.0 $code X\r\nContent-Type: text/plain\r\nContent-Length: " . length($body)
    . "\r\nConnection: close\r\n\r\n$body";
  close $c;
}
