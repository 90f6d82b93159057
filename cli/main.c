/* main.c - the ctmatch executable: everything is in ctm_cli. */
#include <ctm/cli.h>

#include <malloc.h>

int main(int argc, char **argv)
{
	/* Matching decodes and frees thousands of trial records a patient:
	 * keep freed memory instead of handing it back to the kernel and
	 * faulting it in again. */
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	return ctm_cli_main(argc, argv);
}
