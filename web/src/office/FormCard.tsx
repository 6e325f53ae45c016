import { Alert, Center, Paper, Stack } from '@mantine/core';
import type { FormEvent, ReactNode } from 'react';

/** A centred card holding one form, with its error alert: the layout of sign-in and password pages. */
export function FormCard(props: {
  width: number;
  error: string | null;
  onSubmit: (e: FormEvent) => void;
  children: ReactNode;
  header: ReactNode;
}) {
  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={props.width}>
        <form onSubmit={props.onSubmit} noValidate>
          <Stack>
            {props.header}
            {props.error && (
              <Alert color="red" role="alert" data-testid="form-error">
                {props.error}
              </Alert>
            )}
            {props.children}
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
