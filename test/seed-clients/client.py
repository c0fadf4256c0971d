import socket

server = 'mywhatsapp.jca.ec'
port = 5026
token = 'TOKEN'

try:
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.connect((server, port))
    print('Connected to server')

    # Enviar token al servidor
    client.sendall(token.encode())

    while True:
        data = client.recv(1024)
        if not data:
            break
        print('Received:', data.decode())

    client.close()
except Exception as e:
    print(f'Exception: {e}')
