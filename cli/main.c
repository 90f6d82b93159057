/* main.c - the ctmatch executable: everything is in ctm_cli. */
#include <ctm/cli.h>

int main(int argc, char **argv)
{
	return ctm_cli_main(argc, argv);
}
