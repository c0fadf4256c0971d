const net = require('net');

const client = net.createConnection({
    host: 'mywhatsapp.jca.ec',
    port: 5026
}, () => {
    console.log('Connected to server');
    
    // Enviar token al servidor
    client.write('TOKEN');
});

client.on('data', (data) => {
    // Mostrar datos recibidos en pantalla
    console.log(data.toString());
});

client.on('end', () => {
    console.log('Disconnected from server');
});
