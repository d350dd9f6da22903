"""isamapper's command-line tools and its registration with `xdsl-opt`."""
